namespace ClNet.Engine;

/// <summary>
/// clnet's LeNet-5 for MNIST: conv1 5x5x20 tanh (same) → max pool 2 → conv2 5x5x50 tanh (same)
/// → max pool 2 → reshape [batch,2450] → feature FC 480 tanh → inference FC 10 → softmax with
/// negative log-likelihood. Input data[batch,28,28,1] scaled to [0,1], labels in label[batch].
/// </summary>
public static class MnistCnn
{
    public static readonly ModelDefinition Definition = new(
        "MNIST_CNN",
        "clnet's LeNet-5: conv 5x5x20 tanh, max pool, conv 5x5x50 tanh, max pool, FC 480 tanh, FC 10; MNIST-format data (-DataPath)",
        Array.Empty<string>(),
        new TrainingDefaults(Epochs: 2, BatchSize: 32, LearningRate: 0.01, Momentum: 0.9, WeightDecay: 0),
        Build,
        LoadData: (path, _) => MnistIdx.Load(path),
        ImageInput: MnistIdx.Format);

    /// <summary>N(0, 1/fan_in): keeps tanh layers out of saturation at the start.</summary>
    private static GaussianInitializer Scaled(int fanIn) => new(0, Math.Sqrt(1.0 / fanIn));

    private static ModelGraph Build(int batch, ModelOptions options)
    {
        var g = new Graph();
        var data = g.Data("data", batch, 28, 28, 1);
        var conv1 = g.Convolution("conv1", data, g.Weight("conv1_weight", Scaled(25), 20, 5, 5, 1), g.Bias("conv1_bias", new ConstantInitializer(0), 20),
            activation: Activation.Tanh);
        var pool1 = g.Pooling("pool1", conv1, PoolingKind.Max, 2);
        var conv2 = g.Convolution("conv2", pool1, g.Weight("conv2_weight", Scaled(500), 50, 5, 5, 20), g.Bias("conv2_bias", new ConstantInitializer(0), 50),
            activation: Activation.Tanh);
        var pool2 = g.Pooling("pool2", conv2, PoolingKind.Max, 2);
        var flat = g.Reshape("reshape", pool2, batch, 7 * 7 * 50);
        var feature = g.FullyConnected("feature", flat, g.Weight("feature_weight", Scaled(2450), 2450, 480), g.Bias("feature_bias", new ConstantInitializer(0), 480), Activation.Tanh);
        var logits = g.FullyConnected("inference", feature, g.Weight("inference_weight", Scaled(480), 480, 10), g.Bias("inference_bias", new ConstantInitializer(0), 10));
        var label = g.Data("label", batch);
        g.SetLoss(g.SoftmaxNllLoss(logits, label));
        return new ModelGraph(g, data, label, logits, g.CorrectCount(logits, label));
    }
}
