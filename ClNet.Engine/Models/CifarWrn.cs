namespace ClNet.Engine;

/// <summary>
/// clnet's Wide Residual Network for CIFAR-10 (arXiv 1605.07146): conv0 3x3x16, then three groups
/// of Depth pre-activation blocks (batch norm, relu, 3x3 convolution, twice) of widths 16k, 32k and
/// 64k with strides 1, 2, 2, a 1x1 projection (convdim) where the width or stride changes, and
/// finally batch norm, relu, global average pooling and a fully connected layer to 10 classes.
/// Options: Width (k, default 1) and Depth (blocks per group, default 1).
/// </summary>
public static class CifarWrn
{
    public static readonly ModelDefinition Definition = new(
        "CIFAR_WRN",
        "clnet's Wide ResNet for CIFAR-10: 3 groups of -Depth pre-activation blocks, widths 16k/32k/64k (-Width k); CIFAR-10 binary data (-DataPath)",
        new[] { "Width", "Depth" },
        new TrainingDefaults(Epochs: 2, BatchSize: 64, LearningRate: 0.064, Momentum: 0.9, WeightDecay: 5e-4),
        Build,
        LoadData: (path, _) => CifarBinary.Load(path),
        ImageInput: CifarBinary.Format);

    /// <summary>He initialisation for convolutions followed by relu.</summary>
    private static GaussianInitializer He(int fanIn) => new(0, Math.Sqrt(2.0 / fanIn));

    private static ModelGraph Build(int batch, ModelOptions options)
    {
        int k = options.Int("Width", 1), depth = options.Int("Depth", 1);
        var g = new Graph();
        var data = g.Data("data", batch, 32, 32, 3);
        var x = g.Convolution("conv0", data, g.Weight("conv0_weight", He(27), 16, 3, 3, 3), null);
        int channels = 16;
        for (int group = 0; group < 3; group++)
        {
            int width = 16 * k << group;
            for (int block = 0; block < depth; block++)
            {
                int stride = block == 0 && group > 0 ? 2 : 1;
                string name = $"group{group}_block{block}";
                var relu0 = g.BatchNorm($"{name}_bn0", x, activation: Activation.Relu);
                var conv0 = g.Convolution($"{name}_conv0", relu0, g.Weight($"{name}_conv0_weight", He(9 * channels), width, 3, 3, channels), null, stride);
                var relu1 = g.BatchNorm($"{name}_bn1", conv0, activation: Activation.Relu);
                var conv1 = g.Convolution($"{name}_conv1", relu1, g.Weight($"{name}_conv1_weight", He(9 * width), width, 3, 3, width), null);
                var shortcut = width != channels || stride != 1
                    ? g.Convolution($"{name}_convdim", relu0, g.Weight($"{name}_convdim_weight", He(channels), width, 1, 1, channels), null, stride, Padding.Valid)
                    : x;
                x = g.Add(conv1, shortcut);
                channels = width;
            }
        }
        var pool = g.GlobalAveragePooling("pool", g.BatchNorm("bn", x, activation: Activation.Relu));
        var flat = g.Reshape("reshape", pool, batch, channels);
        var logits = g.FullyConnected("inference", flat, g.Weight("inference_weight", new GaussianInitializer(0, Math.Sqrt(1.0 / channels)), channels, 10),
            g.Bias("inference_bias", new ConstantInitializer(0), 10));
        var label = g.Data("label", batch);
        g.SetLoss(g.SoftmaxNllLoss(logits, label));
        return new ModelGraph(g, data, label, logits, g.CorrectCount(logits, label));
    }
}
