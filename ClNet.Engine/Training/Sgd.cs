namespace ClNet.Engine;

/// <summary>clnet's StochasticGradientDescentUpdater: momentum and L2 weight decay.</summary>
public sealed class Sgd : Optimizer
{
    private readonly List<DeviceBuffer> _velocity = new();

    public float LearningRate { get; set; }
    public float Momentum { get; set; }
    public float WeightDecay { get; set; }

    public override string Name => "SGD";
    public override string TypeName => "StochasticGradientDescentUpdater";

    public Sgd(Replica replica, float learningRate, float momentum, float weightDecay, float clipNorm = 0) : base(replica, clipNorm)
    {
        LearningRate = learningRate;
        Momentum = momentum;
        WeightDecay = weightDecay;
        foreach (var w in Weights) _velocity.Add(replica.Device.Allocate(w.Volume, $"velocity({w.Name})"));   // Allocate zero-fills
    }

    protected override void Update(Replica r, DeviceBuffer? scale)
    {
        var kernel = r.Kernel("sgd_momentum");
        for (int i = 0; i < Weights.Count; i++)
        {
            var w = Weights[i];
            r.Device.Launch1D(kernel.Set(0, w.Volume).Set(1, r[w]).Set(2, r[w.Gradient!]).Set(3, _velocity[i])
                .Set(4, LearningRate).Set(5, Momentum).Set(6, WeightDecay).Set(7, scale), w.Volume);
        }
    }

    public override IReadOnlyList<Setting> Settings => new[]
    {
        new Setting("SGD.learning_rate", "step size of stochastic gradient descent", () => LearningRate, v => LearningRate = (float)v, v => v >= 0),
        new Setting("SGD.momentum", "fraction of the previous update carried into the next", () => Momentum, v => Momentum = (float)v, v => v >= 0),
        new Setting("SGD.weight_decay", "L2 penalty added to every gradient", () => WeightDecay, v => WeightDecay = (float)v, v => v >= 0),
    }.Concat(base.Settings).ToList();

    public override void Dispose()
    {
        foreach (var v in _velocity) v.Dispose();
        base.Dispose();
    }
}
