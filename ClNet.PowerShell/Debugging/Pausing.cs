using System.Diagnostics;
using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Waiting for a training to stop at a point, shared by Suspend- and Step-ClNetTraining.</summary>
internal static class Pausing
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Waits until the debugger stops somewhere other than <paramref name="from"/> (or at all), or the training ends.</summary>
    public static ExecutionPoint? WaitForPause(Session session, CancellationToken cancel, bool mustMove)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Timeout && !cancel.IsCancellationRequested)
        {
            if (session.State is not (TrainingState.Running or TrainingState.Created)) return null;
            if (session.Debugger.IsPaused && (!mustMove || session.Debugger.Position is not null)) return session.Debugger.Position;
            Thread.Sleep(5);
        }
        return null;
    }
}
