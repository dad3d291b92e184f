namespace ClNet.Engine;

/// <summary>
/// clnet's MLP demo: X[batch,2] → FCLayer_0 = sigmoid(l0_weight*X+l0_bias) [batch,4096]
/// → FCLayer_1 = softrelu(l1_weight*FCLayer_0+l1_bias) [batch,1], trained with linear_regression
/// against Y = x0/x1 on generated data.
/// </summary>
public static class Mlp
{
    public static readonly ModelDefinition Definition = new(
        "MLP",
        "clnet's multilayer perceptron: X[128,2] -> FC 4096 sigmoid -> FC 1 softrelu, regressing y = x0/x1 on generated data",
        new[] { "Hidden" },
        new TrainingDefaults(Epochs: 2, BatchSize: 128, LearningRate: 0.0005, Momentum: 0.9, WeightDecay: 0),
        Build,
        GeneratedData: _ => new SyntheticRatio(stepsPerEpoch: 1000));

    private static ModelGraph Build(int batch, ModelOptions options)
    {
        int hidden = options.Int("Hidden", 4096);
        var g = new Graph();
        var x = g.Data("X", batch, 2);
        var w0 = g.Weight("l0_weight", new GaussianInitializer(0, 1), 2, hidden);
        var b0 = g.Bias("l0_bias", new GaussianInitializer(0, 1), hidden);
        var h = g.FullyConnected("FCLayer_0", x, w0, b0, Activation.Sigmoid);
        var w1 = g.Weight("l1_weight", new GaussianInitializer(0, 1.0 / Math.Sqrt(hidden)), hidden, 1);
        var b1 = g.Bias("l1_bias", new ConstantInitializer(0), 1);
        var prediction = g.FullyConnected("FCLayer_1", h, w1, b1, Activation.SoftRelu);
        var y = g.Data("Y", batch);
        g.SetLoss(g.LinearRegressionLoss(prediction, y));
        return new ModelGraph(g, x, y, prediction);
    }
}
