namespace ClNet.Engine;

/// <summary>Adam (Kingma and Ba, 2014): per-weight step sizes from running moments of the gradient.</summary>
public sealed class Adam : Optimizer
{
    private readonly List<(DeviceBuffer M, DeviceBuffer V)> _moments = new();
    private long _steps;

    public float LearningRate { get; set; }
    public float Beta1 { get; set; } = 0.9f;
    public float Beta2 { get; set; } = 0.999f;
    public float Epsilon { get; set; } = 1e-8f;
    public float WeightDecay { get; set; }

    public override string Name => "Adam";
    public override string TypeName => "AdamUpdater";

    public Adam(Replica replica, float learningRate, float weightDecay, float clipNorm = 0) : base(replica, clipNorm)
    {
        LearningRate = learningRate;
        WeightDecay = weightDecay;
        foreach (var w in Weights)
            _moments.Add((replica.Device.Allocate(w.Volume, $"adam_m({w.Name})"), replica.Device.Allocate(w.Volume, $"adam_v({w.Name})")));
    }

    protected override void Update(Replica r, DeviceBuffer? scale)
    {
        _steps++;
        // the bias corrections of both moments, folded into the step size
        float lr = (float)(LearningRate * Math.Sqrt(1 - Math.Pow(Beta2, _steps)) / (1 - Math.Pow(Beta1, _steps)));
        var kernel = r.Kernel("adam");
        for (int i = 0; i < Weights.Count; i++)
        {
            var w = Weights[i];
            r.Device.Launch1D(kernel.Set(0, w.Volume).Set(1, r[w]).Set(2, r[w.Gradient!]).Set(3, _moments[i].M).Set(4, _moments[i].V)
                .Set(5, lr).Set(6, Beta1).Set(7, Beta2).Set(8, Epsilon).Set(9, WeightDecay).Set(10, scale), w.Volume);
        }
    }

    public override IReadOnlyList<Setting> Settings => new[]
    {
        new Setting("Adam.learning_rate", "step size of Adam", () => LearningRate, v => LearningRate = (float)v, v => v >= 0),
        new Setting("Adam.beta1", "decay of the running mean of the gradient", () => Beta1, v => Beta1 = (float)v, v => v is >= 0 and < 1),
        new Setting("Adam.beta2", "decay of the running mean of the squared gradient", () => Beta2, v => Beta2 = (float)v, v => v is >= 0 and < 1),
        new Setting("Adam.epsilon", "added to the root of the second moment", () => Epsilon, v => Epsilon = (float)v, v => v > 0),
        new Setting("Adam.weight_decay", "L2 penalty added to every gradient", () => WeightDecay, v => WeightDecay = (float)v, v => v >= 0),
    }.Concat(base.Settings).ToList();

    public override void Dispose()
    {
        foreach (var (m, v) in _moments) { m.Dispose(); v.Dispose(); }
        base.Dispose();
    }
}
