namespace ClNet.Engine;

/// <summary>A named setting that may change between steps: what Get-/Set-ClNetHyperparameter see.</summary>
public sealed record Setting(string Name, string Description, Func<double> Get, Action<double> Set, Func<double, bool> IsValid);

/// <summary>
/// Updates every trainable tensor from its gradient, one fused kernel per tensor, after an optional
/// clipping of the global gradient norm. Clipping stays on the device: the squared norms go to a
/// partial-sum buffer, one kernel turns them into a scale, and the update kernels read the scale.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private const int Chunk = 4096;

    private readonly List<(Tensor Weight, int Slot)> _slots = new();
    private readonly DeviceBuffer _partial, _scale;
    private readonly int _partialCount;

    protected IReadOnlyList<Tensor> Weights { get; }

    /// <summary>Clip the global gradient norm to this value; 0 turns clipping off.</summary>
    public float ClipNorm { get; set; }

    /// <summary>The name of the update node (clnet's SGD), also the prefix of the hyper-parameter names.</summary>
    public abstract string Name { get; }
    public abstract string TypeName { get; }

    protected Optimizer(Replica replica, float clipNorm)
    {
        Weights = replica.Graph.TrainableParameters.Where(t => t.Gradient is not null).ToList();
        ClipNorm = clipNorm;
        int slot = 0;
        foreach (var w in Weights)
        {
            _slots.Add((w, slot));
            slot += (w.Volume + Chunk - 1) / Chunk;
        }
        _partialCount = slot;
        _partial = replica.Device.Allocate(Math.Max(1, slot), "gradient_norm_partial");
        _scale = replica.Device.Allocate(2, "gradient_scale");
    }

    public void Step(Replica r)
    {
        DeviceBuffer? scale = null;
        if (ClipNorm > 0)
        {
            var squares = r.Kernel("sum_squares");
            foreach (var (w, slot) in _slots)
                r.Device.Launch(squares.Set(0, w.Volume).Set(1, r[w.Gradient!]).Set(2, Chunk).Set(3, _partial).Set(4, slot), (w.Volume + Chunk - 1) / Chunk);
            r.Device.Launch(r.Kernel("clip_scale").Set(0, _partialCount).Set(1, _partial).Set(2, ClipNorm).Set(3, _scale), 1);
            scale = _scale;
        }
        Update(r, scale);
    }

    protected abstract void Update(Replica r, DeviceBuffer? scale);

    /// <summary>The optimizer's settings, named {Name}.setting, and the clipping norm.</summary>
    public virtual IReadOnlyList<Setting> Settings => new[]
    {
        new Setting("GradientClipping.max_norm", "largest global gradient norm; 0 turns clipping off", () => ClipNorm, v => ClipNorm = (float)v, v => v >= 0),
    };

    public virtual void Dispose()
    {
        _partial.Dispose();
        _scale.Dispose();
    }

    /// <summary>The optimizer by name: SGD or Adam.</summary>
    public static Optimizer Create(string name, Replica replica, float learningRate, float momentum, float weightDecay, float clipNorm) =>
        name.ToUpperInvariant() switch
        {
            "SGD" => new Sgd(replica, learningRate, momentum, weightDecay, clipNorm),
            "ADAM" => new Adam(replica, learningRate, weightDecay, clipNorm),
            _ => throw new ClNetException("UnknownOptimizer", ClNetErrorKind.InvalidArgument, $"There is no optimizer named '{name}'. Known: SGD, Adam.", name),
        };
}
