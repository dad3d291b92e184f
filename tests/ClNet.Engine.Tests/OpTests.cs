using ClNet.Engine;
using Xunit;
using Input = GradientCheck.Input;

/// <summary>Every op twice: forward against a float64 CPU reference, backward against finite differences.</summary>
[Collection("device")]
public class OpTests
{
    private readonly GradientCheck _check;

    public OpTests(DeviceFixture fixture) => _check = new GradientCheck(fixture.Device);

    public static TheoryData<int, int, int, Activation, bool> DenseCases => new()
    {
        { 7, 13, 5, Activation.Sigmoid, true },
        { 7, 13, 5, Activation.Tanh, true },
        { 7, 13, 5, Activation.Relu, true },
        { 7, 13, 5, Activation.SoftRelu, true },
        { 7, 13, 5, Activation.Linear, false },
        { 16, 32, 8, Activation.Sigmoid, true },
        { 8, 1, 40, Activation.SoftRelu, true },      // the MLP's output layer shape
        { 12, 40, 2, Activation.Sigmoid, true },      // the MLP's first layer shape
        { 3, 17, 33, Activation.Tanh, false },
    };

    private static Input[] DenseInputs(int m, int n, int k, bool bias, int seed)
    {
        var r = new Random(seed);
        var inputs = new List<Input>
        {
            new("X", new[] { m, k }, Reference.Random(m * k, r)),
            new("W", new[] { k, n }, Reference.Random(k * n, r, -0.5, 0.5)),
        };
        if (bias) inputs.Add(new("b", new[] { n }, Reference.Random(n, r)));
        return inputs.ToArray();
    }

    private static Func<Graph, Tensor[], Tensor> Dense(Activation act) =>
        (g, t) => g.FullyConnected("FC", t[0], t[1], t.Length > 2 ? t[2] : null, act);

    [Theory]
    [MemberData(nameof(DenseCases))]
    public void DenseForwardMatchesTheReference(int m, int n, int k, Activation act, bool bias)
    {
        var inputs = DenseInputs(m, n, k, bias, m + n + k);
        var actual = _check.Forward(Dense(act), inputs);
        var expected = Reference.Dense(inputs[0].Values, inputs[1].Values, bias ? inputs[2].Values : null, m, n, k, act);
        Assert.True(Reference.WorstError(actual, expected, 1e-5, 1e-4) <= 1);
    }

    [Theory]
    [MemberData(nameof(DenseCases))]
    public void DenseBackwardMatchesFiniteDifferences(int m, int n, int k, Activation act, bool bias) =>
        _check.Check(Dense(act), DenseInputs(m, n, k, bias, 7 * m + n + k));

    [Fact]
    public void DenseFlattensLeadingDimensions()
    {
        var r = new Random(3);
        var x = Reference.Random(2 * 3 * 4, r);
        var w = Reference.Random(4 * 5, r);
        var actual = _check.Forward((g, t) => g.FullyConnected("FC", t[0], t[1], null, Activation.Relu),
            new Input("X", new[] { 2, 3, 4 }, x), new Input("W", new[] { 4, 5 }, w));
        Assert.True(Reference.WorstError(actual, Reference.Dense(x, w, null, 6, 5, 4, Activation.Relu), 1e-5, 1e-4) <= 1);
    }

    [Theory]
    [InlineData(7, 13)]
    [InlineData(32, 32)]
    [InlineData(33, 31)]   // 1023 elements: several work-items of 16 vectors, the last one ending in a partial vector
    public void AddAndMultiplyMatchTheReference(int rows, int cols)
    {
        var r = new Random(rows);
        var a = Reference.Random(rows * cols, r);
        var b = Reference.Random(rows * cols, r);
        var inputs = new[] { new Input("a", new[] { rows, cols }, a), new Input("b", new[] { rows, cols }, b) };
        var sum = _check.Forward((g, t) => g.Add(t[0], t[1]), inputs);
        var product = _check.Forward((g, t) => g.Multiply(t[0], t[1]), inputs);
        Assert.True(Reference.WorstError(sum, a.Zip(b, (x, y) => (double)x + y).ToArray(), 1e-6, 1e-6) <= 1);
        Assert.True(Reference.WorstError(product, a.Zip(b, (x, y) => (double)x * y).ToArray(), 1e-6, 1e-6) <= 1);
    }

    [Theory]
    [InlineData(7, 13)]
    [InlineData(32, 32)]
    [InlineData(33, 31)]
    public void AddAndMultiplyBackwardMatchFiniteDifferences(int rows, int cols)
    {
        var r = new Random(rows + 1);
        var inputs = new[] { new Input("a", new[] { rows, cols }, Reference.Random(rows * cols, r)), new Input("b", new[] { rows, cols }, Reference.Random(rows * cols, r)) };
        _check.Check((g, t) => g.Add(t[0], t[1]), inputs);
        _check.Check((g, t) => g.Multiply(t[0], t[1]), inputs);
    }

    /// <summary>A tensor consumed by several ops gets the sum of their gradients: y = a*a + a.</summary>
    [Fact]
    public void GradientsOfASharedTensorAccumulate()
    {
        var r = new Random(5);
        var a = new Input("a", new[] { 7, 13 }, Reference.Random(91, r));
        _check.Check((g, t) => g.Add(g.Multiply(t[0], t[0], "square"), t[0], "sum"), new[] { a });
    }

    [Theory]
    [InlineData(7, 13)]
    [InlineData(128, 1)]
    public void MeanSquaredErrorMatchesTheReferenceAndFiniteDifferences(int rows, int cols)
    {
        var r = new Random(rows);
        var inputs = new[]
        {
            new Input("p", new[] { rows, cols }, Reference.Random(rows * cols, r)),
            new Input("t", new[] { rows * cols }, Reference.Random(rows * cols, r), Differentiable: false),
        };
        var loss = _check.Forward((g, t) => g.LinearRegressionLoss(t[0], t[1]), inputs);
        Assert.Equal(Reference.MeanSquaredError(inputs[0].Values, inputs[1].Values), loss[0], 5);
        _check.Check((g, t) => g.LinearRegressionLoss(t[0], t[1]), inputs, step: 5e-2, atol: 2e-5, rtol: 2e-3);
    }

    [Theory]
    [InlineData(7, 13)]
    [InlineData(32, 10)]
    [InlineData(3, 16)]   // one whole vector of 16 classes
    [InlineData(5, 37)]   // two whole vectors and a partial one
    public void SoftmaxNllMatchesTheReferenceAndFiniteDifferences(int rows, int classes)
    {
        var r = new Random(rows * classes);
        var inputs = new[]
        {
            new Input("x", new[] { rows, classes }, Reference.Random(rows * classes, r, -3, 3)),
            new Input("label", new[] { rows }, Enumerable.Range(0, rows).Select(_ => (float)r.Next(classes)).ToArray(), Differentiable: false),
        };
        var loss = _check.Forward((g, t) => g.SoftmaxNllLoss(t[0], t[1]), inputs);
        Assert.Equal(Reference.SoftmaxNll(inputs[0].Values, inputs[1].Values, rows, classes), loss[0], 4);
        _check.Check((g, t) => g.SoftmaxNllLoss(t[0], t[1]), inputs, step: 5e-2, atol: 3e-5, rtol: 5e-3);
    }
}

public class GraphTests
{
    [Fact]
    public void AliasesAndGradientNamesAreClnets()
    {
        var g = new Graph();
        var x = g.Data("X", 128, 2);
        var w = g.Weight("l0_weight", new GaussianInitializer(0, 1), 2, 4096);
        var b = g.Bias("l0_bias", new ConstantInitializer(0), 4096);
        var h = g.FullyConnected("FCLayer_0", x, w, b, Activation.Sigmoid);
        var w1 = g.Weight("l1_weight", new GaussianInitializer(0, 1), 4096, 1);
        var y = g.FullyConnected("FC", h, w1, null);
        var loss = g.LinearRegressionLoss(y, g.Data("Y", 128));
        g.SetLoss(loss);

        Assert.Equal("FCLayer_0=sigmoid(l0_weight*X+l0_bias)", g.Nodes[0].Alias);
        Assert.Equal("FC=l1_weight*FCLayer_0", g.Nodes[1].Alias);
        Assert.Equal("linear_regression(FC,Y)", loss.Name);
        Assert.Equal(new[] { "back:linear_regression(FC,Y)", "back:FC=l1_weight*FCLayer_0", "back:FCLayer_0=sigmoid(l0_weight*X+l0_bias)" },
            g.Backward.Select(s => s.Alias));
        Assert.Equal("gradient(l0_weight)", w.Gradient!.Name);
        Assert.Equal(TensorRole.Gradient, w.Gradient.Role);
        Assert.Null(x.Gradient);                   // data needs no gradient
        Assert.NotNull(h.Gradient);
        Assert.Null(g.Backward[^1].InputGradients[0]);   // so the first layer does not compute dX
    }

    [Fact]
    public void AShapeMismatchNamesBothTensors()
    {
        var g = new Graph();
        var x = g.Data("X", 128, 3);
        var w = g.Weight("l0_weight", new ConstantInitializer(0), 2, 16);
        var e = Assert.Throws<ClNetException>(() => g.FullyConnected("FCLayer_0", x, w, null));
        Assert.Equal("ShapeMismatch", e.ErrorId);
        Assert.Contains("'X'[128,3]", e.Message);
        Assert.Contains("'l0_weight'[2,16]", e.Message);
        var e2 = Assert.Throws<ClNetException>(() => g.Add(x, g.Data("Z", 3, 128)));
        Assert.Contains("'Z'[3,128]", e2.Message);
    }

    [Fact]
    public void DuplicateNamesAreRejected()
    {
        var g = new Graph();
        g.Data("X", 2);
        Assert.Equal("DuplicateTensorName", Assert.Throws<ClNetException>(() => g.Data("X", 3)).ErrorId);
    }

    [Fact]
    public void ShapesPrintAsClnetPrintsThem()
    {
        Assert.Equal("[128,2]", new Shape(128, 2).ToString());
        Assert.Throws<ArgumentException>(() => new Shape(3, 0));
    }
}
