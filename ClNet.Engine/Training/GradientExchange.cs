using System.Diagnostics;
using System.Numerics;

namespace ClNet.Engine;

/// <summary>
/// The all-reduce of data-parallel training. After the backward pass of a step, every replica's
/// gradients are weighted by the rows its loss averaged, summed over the devices of this process on
/// the host and over the ranks of an MPI job, divided by the rows of the global batch, and written
/// back to every replica, so that each applies the same update as one device with the whole batch.
/// The saved untrained tensors (batch norm's moving statistics) are averaged the same way, so that
/// they stay identical too. The devices may be on different platforms: everything goes through the host.
/// </summary>
internal sealed class GradientExchange
{
    private readonly IReadOnlyList<Worker> _workers;
    private readonly MpiWorld? _mpi;
    private readonly List<(string Name, int Offset, int Length, bool Statistic)> _layout = new();
    private readonly float[] _total, _scratch;

    /// <summary>Host time spent exchanging (after the backward passes have finished).</summary>
    public TimeSpan Elapsed { get; private set; }
    public long Exchanges { get; private set; }

    public GradientExchange(IReadOnlyList<Worker> workers, MpiWorld? mpi)
    {
        _workers = workers;
        _mpi = mpi;
        var graph = workers[0].Model.Graph;
        int offset = 0;
        foreach (var w in graph.TrainableParameters.Where(t => t.Gradient is not null))
        {
            _layout.Add((w.Gradient!.Name, offset, w.Volume, false));
            offset += w.Volume;
        }
        foreach (var p in graph.Parameters.Where(t => !t.IsTrainable))
        {
            _layout.Add((p.Name, offset, p.Volume, true));
            offset += p.Volume;
        }
        _total = new float[offset + 2];   // ... then the rows of the global batch and the number of replicas
        _scratch = new float[_layout.Count == 0 ? 0 : _layout.Max(l => l.Length)];
    }

    /// <summary>Whether there is anything to exchange: more than one device, or more than one rank.</summary>
    public bool Needed => _workers.Count > 1 || _mpi?.Size > 1;

    /// <summary>Exchanges; <paramref name="onDevice"/> runs each worker's device work, so that a failure names that device.</summary>
    public void Run(Action<Worker, Action> onDevice)
    {
        foreach (var worker in _workers) onDevice(worker, worker.Context.Finish);   // the backward passes end first: not part of the exchange's time
        var clock = Stopwatch.StartNew();
        Array.Clear(_total);
        var count = new float[1];
        foreach (var worker in _workers)
            onDevice(worker, () =>
            {
                worker.Context.Read(Op.LossCount(worker.Replica, worker.LossNode), count);
                foreach (var (name, offset, length, statistic) in _layout)
                {
                    var span = _scratch.AsSpan(0, length);
                    worker.Context.Read(worker.Replica[worker.Model.Graph[name]], span);
                    AddScaled(_total.AsSpan(offset, length), span, statistic ? 1f : count[0]);
                }
                _total[^2] += count[0];
                _total[^1] += 1;
            });
        _mpi?.SumInPlace(_total);
        float rows = _total[^2], replicas = _total[^1];
        foreach (var (_, offset, length, statistic) in _layout)
            Scale(_total.AsSpan(offset, length), statistic ? 1 / replicas : rows > 0 ? 1 / rows : 0);
        foreach (var worker in _workers)
            onDevice(worker, () =>
            {
                foreach (var (name, offset, length, _) in _layout)
                    worker.Context.Write<float>(worker.Replica[worker.Model.Graph[name]], _total.AsSpan(offset, length));
            });
        Elapsed += clock.Elapsed;
        Exchanges++;
    }

    private static void AddScaled(Span<float> total, ReadOnlySpan<float> values, float scale)
    {
        int i = 0;
        var s = new Vector<float>(scale);
        for (; i + Vector<float>.Count <= total.Length; i += Vector<float>.Count)
            (new Vector<float>(total[i..]) + s * new Vector<float>(values[i..])).CopyTo(total[i..]);
        for (; i < total.Length; i++) total[i] += scale * values[i];
    }

    private static void Scale(Span<float> values, float scale)
    {
        for (int i = 0; i < values.Length; i++) values[i] *= scale;
    }
}
