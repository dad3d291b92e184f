namespace ClNet.Engine;

/// <summary>
/// clnet's StochasticGradientDescentUpdater: momentum and L2 weight decay, one fused kernel per
/// trainable tensor. The hyper-parameters may change between steps.
/// </summary>
public sealed class Sgd : IDisposable
{
    private readonly List<(Tensor Weight, DeviceBuffer Velocity)> _state = new();

    public float LearningRate { get; set; }
    public float Momentum { get; set; }
    public float WeightDecay { get; set; }

    public Sgd(Replica replica, float learningRate, float momentum, float weightDecay)
    {
        LearningRate = learningRate;
        Momentum = momentum;
        WeightDecay = weightDecay;
        foreach (var w in replica.Graph.TrainableParameters.Where(t => t.Gradient is not null))
            _state.Add((w, replica.Device.Allocate(w.Volume, $"velocity({w.Name})")));   // Allocate zero-fills
    }

    public void Step(Replica r)
    {
        var kernel = r.Kernel("sgd_momentum");
        foreach (var (w, v) in _state)
            r.Device.Launch1D(kernel.Set(0, w.Volume).Set(1, r[w]).Set(2, r[w.Gradient!]).Set(3, v)
                .Set(4, LearningRate).Set(5, Momentum).Set(6, WeightDecay), w.Volume);
    }

    public void Dispose()
    {
        foreach (var (_, v) in _state) v.Dispose();
        _state.Clear();
    }
}
