using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>
/// The most recently started training of each runspace: the one the debugger cmdlets act on when
/// neither -Job nor -Session is given. Per runspace, so that two runspaces never see each other's.
/// </summary>
internal static class LatestTraining
{
    private static readonly ConditionalWeakTable<Runspace, Session> Latest = new();

    public static void Register(Session session)
    {
        if (Runspace.DefaultRunspace is { } runspace) Latest.AddOrUpdate(runspace, session);
    }

    public static Session? Get() =>
        Runspace.DefaultRunspace is { } runspace && Latest.TryGetValue(runspace, out var session) ? session : null;
}
