using Silk.NET.OpenCL;

namespace ClNet.Engine;

/// <summary>
/// One node's line of a profile: device time summed from OpenCL event timestamps; or, in a profile by
/// kernel, the time of one of the node's kernels (<see cref="Kernel"/>; Calls counts the node's calls).
/// </summary>
public sealed record ProfileEntry(string Name, string Type, long Calls, double TotalMilliseconds, double MeanMicroseconds, double Percent, string Device = "", string Kernel = "");

/// <summary>
/// Per-node device time, from the start and end timestamps of every kernel's event (the queue is
/// created with profiling enabled, so nothing is serialised to measure). Launches are attributed
/// to the scope that is current when they are enqueued; events are read and released in batches,
/// after the queue has drained anyway (when the trainer reads its running sums).
/// </summary>
public sealed unsafe class Profiler
{
    private sealed class Totals
    {
        public string Type = "";
        public long Calls;
        public long Nanoseconds;
        public readonly Dictionary<string, long> KernelNanoseconds = new(StringComparer.Ordinal);
    }

    private readonly List<(Totals Scope, string Kernel, nint Event)> _pending = new();
    private readonly Dictionary<string, Totals> _totals = new(StringComparer.Ordinal);
    private Totals _current;

    public string Device { get; }

    public Profiler(string device = "")
    {
        Device = device;
        _current = Scope("(other)", "");
    }

    /// <summary>Launches from now on belong to this node; each call counts as one call of it.</summary>
    public void Enter(string name, string type)
    {
        _current = Scope(name, type);
        _current.Calls++;
    }

    private Totals Scope(string name, string type)
    {
        if (!_totals.TryGetValue(name, out var t)) _totals[name] = t = new Totals { Type = type };
        return t;
    }

    internal void Record(nint evt, string kernel) => _pending.Add((_current, kernel, evt));

    /// <summary>Reads the timestamps of the finished launches; call it when the queue has drained.</summary>
    public void Resolve()
    {
        foreach (var (scope, kernel, evt) in _pending)
        {
            ulong start = 0, end = 0;
            if (OpenCl.Api.GetEventProfilingInfo(evt, ProfilingInfo.Start, sizeof(ulong), &start, null) == 0 &&
                OpenCl.Api.GetEventProfilingInfo(evt, ProfilingInfo.End, sizeof(ulong), &end, null) == 0 && end >= start)
            {
                scope.Nanoseconds += (long)(end - start);
                scope.KernelNanoseconds[kernel] = scope.KernelNanoseconds.GetValueOrDefault(kernel) + (long)(end - start);
            }
            OpenCl.Api.ReleaseEvent(evt);
        }
        _pending.Clear();
    }

    public int Pending => _pending.Count;

    /// <summary>One entry per node that ran, largest total first; with <paramref name="byKernel"/> one per kernel of each node.</summary>
    public IReadOnlyList<ProfileEntry> Entries(bool byKernel = false)
    {
        double total = _totals.Values.Sum(t => (double)t.Nanoseconds);
        ProfileEntry Entry(string name, Totals t, long nanoseconds, string kernel) =>
            new(name, t.Type, t.Calls, nanoseconds / 1e6, t.Calls == 0 ? 0 : nanoseconds / 1e3 / t.Calls, total == 0 ? 0 : 100 * nanoseconds / total, Device, kernel);
        var nodes = _totals.Where(kv => kv.Value.Calls > 0 || kv.Value.Nanoseconds > 0);
        var entries = byKernel
            ? nodes.SelectMany(kv => kv.Value.KernelNanoseconds.Select(k => Entry(kv.Key, kv.Value, k.Value, k.Key)))
            : nodes.Select(kv => Entry(kv.Key, kv.Value, kv.Value.Nanoseconds, ""));
        return entries.OrderByDescending(e => e.TotalMilliseconds).ToList();
    }
}
