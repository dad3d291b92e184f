using ClNet.Engine;
using Xunit;
using Input = GradientCheck.Input;

/// <summary>Convolution, pooling, batch normalisation, activation and reshape: forward against float64, backward against finite differences.</summary>
[Collection("device")]
public class ImageOpTests
{
    private readonly GradientCheck _check;
    private readonly DeviceContext _device;

    public ImageOpTests(DeviceFixture fixture)
    {
        _device = fixture.Device;
        _check = new GradientCheck(fixture.Device);
    }

    public static TheoryData<int, int, int, int, int, int, int, Padding, Activation, bool> ConvolutionCases => new()
    {
        // n, h, w, cin, cout, k, stride, padding, activation, bias
        { 2, 5, 7, 3, 4, 3, 1, Padding.Same, Activation.Tanh, true },
        { 2, 7, 5, 3, 4, 3, 2, Padding.Valid, Activation.Linear, false },
        { 1, 6, 6, 2, 5, 3, 2, Padding.Same, Activation.Relu, true },
        { 2, 4, 4, 1, 3, 5, 1, Padding.Same, Activation.Sigmoid, true },
        { 2, 5, 3, 4, 3, 1, 1, Padding.Valid, Activation.Linear, false },   // 1x1 projection
        { 2, 6, 5, 3, 2, 1, 2, Padding.Valid, Activation.Linear, false },   // 1x1 with stride, as WRN's convdim
        { 1, 8, 8, 16, 16, 3, 1, Padding.Same, Activation.Relu, false },
        // 8 or more input channels go the direct route on CPU devices (no column matrix):
        { 2, 20, 20, 8, 24, 3, 1, Padding.Same, Activation.Tanh, true },       // 2 chunks of weight-gradient sums, a partial panel
        { 2, 9, 9, 8, 4, 3, 2, Padding.Same, Activation.Relu, true },          // stride 2, 4 outputs: the input gradient through col2im
        { 2, 9, 10, 8, 16, 3, 2, Padding.Same, Activation.Relu, false },       // stride 2: the input gradient by phases
        { 1, 11, 9, 16, 8, 3, 3, Padding.Valid, Activation.Linear, false },    // stride 3, pixels the windows miss
        { 1, 34, 20, 8, 8, 4, 2, Padding.Same, Activation.Linear, false },     // an even kernel, a row of more than 8 pixels per phase
        { 1, 7, 6, 16, 8, 5, 1, Padding.Valid, Activation.Linear, false },     // the turned kernel pads by 4
        { 2, 6, 6, 8, 16, 1, 2, Padding.Valid, Activation.Linear, false },     // 1x1 with stride
        { 2, 6, 7, 12, 20, 5, 1, Padding.Same, Activation.Tanh, true },        // channels in fours (LeNet's 20), 20 outputs
        { 1, 5, 6, 8, 40, 3, 1, Padding.Same, Activation.Linear, false },      // two blocks of 32 outputs, the second partial
        { 1, 5, 18, 20, 50, 5, 1, Padding.Same, Activation.Tanh, true },       // LeNet's second: the last 2 of 50 outputs and the last 4 of
                                                                                // 20 input-gradient channels in the row kernels, rows of 16 + 2 pixels
        // fewer than 8 input channels (or not in fours): the zero-padded copy, and the input gradient from 8 or more outputs
        { 2, 6, 6, 3, 16, 3, 1, Padding.Same, Activation.Sigmoid, true },
        { 2, 7, 7, 3, 8, 3, 2, Padding.Same, Activation.Linear, false },
        { 2, 6, 5, 1, 20, 5, 1, Padding.Same, Activation.Tanh, true },         // LeNet's first: a panel of 16 and one of 4 outputs
        { 2, 5, 6, 3, 16, 3, 1, Padding.Same, Activation.Linear, false },      // a WRN's first: whole blocks stored plainly
        { 1, 5, 5, 10, 8, 3, 1, Padding.Same, Activation.Tanh, true },
        { 1, 4, 20, 1, 20, 5, 1, Padding.Same, Activation.Tanh, true },        // the last 4 outputs in rows of 16 + 4 pixels
        { 1, 3, 33, 3, 18, 3, 1, Padding.Same, Activation.Sigmoid, false },    // the last 2 outputs in three segments of a row, the last of one pixel
    };

    private static Input[] ConvolutionInputs(int n, int h, int w, int cin, int cout, int k, bool bias, int seed)
    {
        var r = new Random(seed);
        var list = new List<Input>
        {
            new("x", new[] { n, h, w, cin }, Reference.Random(n * h * w * cin, r)),
            new("weight", new[] { cout, k, k, cin }, Reference.Random(cout * k * k * cin, r, -0.5, 0.5)),
        };
        if (bias) list.Add(new("bias", new[] { cout }, Reference.Random(cout, r)));
        return list.ToArray();
    }

    [Theory]
    [MemberData(nameof(ConvolutionCases))]
    public void ConvolutionForwardMatchesTheReference(int n, int h, int w, int cin, int cout, int k, int stride, Padding padding, Activation act, bool bias)
    {
        var inputs = ConvolutionInputs(n, h, w, cin, cout, k, bias, n + h * w + k);
        var window = Window.Of(h, w, k, k, stride, padding);
        var actual = _check.Forward((g, t) => g.Convolution("conv", t[0], t[1], bias ? t[2] : null, stride, padding, act), inputs);
        var expected = ImageReference.Convolution(inputs[0].Values, n, h, w, cin, inputs[1].Values, cout, k, k, bias ? inputs[2].Values : null,
            stride, window.PadH, window.PadW, window.OutH, window.OutW, act);
        Assert.Equal(expected.Length, actual.Length);
        Assert.True(Reference.WorstError(actual, expected, 1e-5, 1e-4) <= 1);
    }

    [Theory]
    [MemberData(nameof(ConvolutionCases))]
    public void ConvolutionBackwardMatchesFiniteDifferences(int n, int h, int w, int cin, int cout, int k, int stride, Padding padding, Activation act, bool bias) =>
        _check.Check((g, t) => g.Convolution("conv", t[0], t[1], bias ? t[2] : null, stride, padding, act), ConvolutionInputs(n, h, w, cin, cout, k, bias, 3 * n + h + w));

    [Theory]
    [InlineData(28, 28, 1, 5, Padding.Same, 28)]
    [InlineData(32, 32, 2, 3, Padding.Same, 16)]
    [InlineData(7, 7, 2, 3, Padding.Same, 4)]
    [InlineData(7, 7, 2, 3, Padding.Valid, 3)]
    public void WindowsFollowTheSameAndValidRules(int h, int w, int stride, int k, Padding padding, int expected)
    {
        var window = Window.Of(h, w, k, k, stride, padding);
        Assert.Equal(expected, window.OutH);
        Assert.Equal(expected, window.OutW);
    }

    public static TheoryData<PoolingKind, int, int, int, int, int, Padding> PoolingCases => new()
    {
        // kind, h, w, c, size, stride, padding
        { PoolingKind.Max, 6, 6, 3, 2, 2, Padding.Valid },
        { PoolingKind.Max, 7, 5, 2, 3, 2, Padding.Same },
        { PoolingKind.Max, 5, 5, 4, 3, 1, Padding.Same },
        { PoolingKind.Average, 6, 6, 3, 2, 2, Padding.Valid },
        { PoolingKind.Average, 7, 5, 2, 3, 2, Padding.Same },
        { PoolingKind.Average, 5, 5, 4, 3, 1, Padding.Same },
        { PoolingKind.Max, 6, 4, 20, 2, 2, Padding.Valid },    // a full vector of channels and a partial one
        { PoolingKind.Max, 7, 5, 3, 2, 2, Padding.Valid },     // a row and a column no window covers: cleared, then scattered
        { PoolingKind.Average, 5, 4, 20, 3, 1, Padding.Same },
    };

    [Theory]
    [MemberData(nameof(PoolingCases))]
    public void PoolingMatchesTheReferenceAndFiniteDifferences(PoolingKind kind, int h, int w, int c, int size, int stride, Padding padding)
    {
        var r = new Random(h * w + c);
        var x = new Input("x", new[] { 2, h, w, c }, Reference.Random(2 * h * w * c, r));
        Func<Graph, Tensor[], Tensor> build = (g, t) => g.Pooling("pool", t[0], kind, size, stride, padding);
        var window = Window.Of(h, w, size, size, stride, padding);
        var expected = ImageReference.Pool(x.Values, 2, h, w, c, size, stride, window.PadH, window.PadW, window.OutH, window.OutW, kind == PoolingKind.Max);
        Assert.True(Reference.WorstError(_check.Forward(build, x), expected, 1e-6, 1e-5) <= 1);
        _check.Check(build, new[] { x });
    }

    [Theory]
    [InlineData(3, 4, 5, 6)]    // fewer channels than one vector
    [InlineData(2, 3, 3, 20)]   // a full vector and a partial one
    public void GlobalAveragePoolingAveragesEachChannel(int n, int h, int w, int c)
    {
        var r = new Random(11);
        var x = new Input("x", new[] { n, h, w, c }, Reference.Random(n * h * w * c, r));
        Func<Graph, Tensor[], Tensor> build = (g, t) => g.GlobalAveragePooling("pool", t[0]);
        var actual = _check.Forward(build, x);
        Assert.Equal(n * c, actual.Length);
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
            {
                double mean = Enumerable.Range(0, h * w).Average(p => (double)x.Values[(b * h * w + p) * c + ch]);
                Assert.Equal(mean, actual[b * c + ch], 5);
            }
        _check.Check(build, new[] { x });
    }

    [Theory]
    [InlineData(2, 3, 5, 7, Activation.Linear)]     // 30 rows, 7 channels: not a multiple of 16
    [InlineData(4, 8, 8, 16, Activation.Linear)]
    [InlineData(2, 30, 30, 3, Activation.Linear)]   // 1800 rows: several reduction chunks
    [InlineData(2, 3, 5, 20, Activation.Relu)]      // relu fused, as a residual network uses it
    [InlineData(2, 10, 7, 20, Activation.Tanh)]     // 140 rows: two work-items' 64 rows and part of a third (smooth: with relu some of 140 values sit within a finite-difference step of the kink)
    [InlineData(2, 4, 3, 7, Activation.Tanh)]
    public void BatchNormTrainingMatchesTheReferenceAndFiniteDifferences(int n, int h, int w, int c, Activation act)
    {
        var r = new Random(n * c);
        var x = new Input("x", new[] { n, h, w, c }, Reference.Random(n * h * w * c, r, -2, 3));
        var gamma = Reference.Random(c, r, 0.5, 1.5);
        var beta = Reference.Random(c, r);
        int m = n * h * w;
        Func<Graph, Tensor[], Tensor> build = (g, t) => g.BatchNorm("bn", t[0], activation: act);
        var actual = _check.Forward(build, new[] { x }, training: true, new Dictionary<string, float[]> { ["bn_gamma"] = gamma, ["bn_beta"] = beta });
        var (mean, variance) = ImageReference.ColumnStatistics(x.Values, m, c);
        var expected = ImageReference.BatchNorm(x.Values, m, c, mean, variance, gamma, beta, 1e-5).Select(v => Reference.Activate(v, act)).ToArray();
        Assert.True(Reference.WorstError(actual, expected, 1e-4, 1e-4) <= 1);
        if (m <= 300) _check.Check(build, new[] { x }, samples: 40);
    }

    /// <summary>A residual block's input feeds the batch norm and the shortcut: the batch norm adds its gradient to the shortcut's.</summary>
    [Fact]
    public void BatchNormAddsItsInputGradientToAnotherConsumers()
    {
        var r = new Random(12);
        var x = new Input("x", new[] { 2, 10, 7, 20 }, Reference.Random(2 * 10 * 7 * 20, r, -2, 3));
        _check.Check((g, t) => g.Add(g.BatchNorm("bn", t[0], activation: Activation.Tanh), t[0], "sum"), new[] { x }, samples: 40);
    }

    [Fact]
    public void BatchNormInferenceUsesTheMovingStatisticsWhichTrainingMoves()
    {
        var r = new Random(4);
        int m = 24, c = 5;
        var xs = Reference.Random(m * c, r, 1, 3);
        var g = new Graph();
        var x = g.Data("x", 2, 3, 4, c);
        var y = g.BatchNorm("bn", x, momentum: 0.75f);
        using var replica = new Replica(g, _device);
        var movingMean = Reference.Random(c, r);
        var movingVariance = Reference.Random(c, r, 0.5, 2);
        var gamma = Reference.Random(c, r, 0.5, 1.5);
        var beta = Reference.Random(c, r);
        replica.Write(x, xs);
        replica.Write(g["bn_gamma"], gamma);
        replica.Write(g["bn_beta"], beta);
        replica.Write(g["bn_moving_mean"], movingMean);
        replica.Write(g["bn_moving_variance"], movingVariance);

        replica.IsTraining = false;
        replica.Forward();
        var expected = ImageReference.BatchNorm(xs, m, c, movingMean.Select(v => (double)v).ToArray(), movingVariance.Select(v => (double)v).ToArray(), gamma, beta, 1e-5);
        Assert.True(Reference.WorstError(replica.Read(y), expected, 1e-5, 1e-4) <= 1);
        Assert.Equal(movingMean, replica.Read(g["bn_moving_mean"]));   // inference leaves them alone

        replica.IsTraining = true;
        replica.Forward();
        var (mean, variance) = ImageReference.ColumnStatistics(xs, m, c);
        var newMean = replica.Read(g["bn_moving_mean"]);
        var newVariance = replica.Read(g["bn_moving_variance"]);
        for (int j = 0; j < c; j++)
        {
            Assert.Equal(0.75 * movingMean[j] + 0.25 * mean[j], newMean[j], 4);
            Assert.Equal(0.75 * movingVariance[j] + 0.25 * variance[j] * m / (m - 1), newVariance[j], 4);
        }
        Assert.False(g["bn_moving_mean"].IsTrainable);
        Assert.True(g["bn_moving_mean"].IsSaved);
    }

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.SoftRelu)]
    public void ActivationMatchesTheReferenceAndFiniteDifferences(Activation act)
    {
        var r = new Random((int)act);
        var x = new Input("x", new[] { 7, 13 }, Reference.Random(91, r, -2, 2));
        Func<Graph, Tensor[], Tensor> build = (g, t) => g.Activate(t[0], act);
        Assert.True(Reference.WorstError(_check.Forward(build, x), x.Values.Select(v => Reference.Activate(v, act)).ToArray(), 1e-6, 1e-5) <= 1);
        _check.Check(build, new[] { x });
    }

    /// <summary>
    /// tanh is computed from one exp, with a polynomial near 0: it keeps a few ulps of relative accuracy from tiny values
    /// through the switch at 1/8 to saturation, in whole vectors of 16 and in the scalar tail (37 values).
    /// </summary>
    [Fact]
    public void TanhKeepsItsRelativeAccuracyAtEveryScale()
    {
        var values = new[] { 1e-30, 1e-7, -3e-4, 0.01, -0.1, 0.1249, 0.125, -0.1251, 0.2, -0.5, 0.75, 1, -1.5, 2.5, -4, 8, 9.5, -12, 20, -88, 100 };
        var x = values.Concat(values.Take(16).Select(v => -v * 1.37)).Select(v => (float)v).ToArray();
        var input = new Input("x", new[] { x.Length }, x);
        var y = _check.Forward((g, t) => g.Activate(t[0], Activation.Tanh), input);
        Assert.True(Reference.WorstError(y, x.Select(v => Math.Tanh(v)).ToArray(), 1e-37, 5e-7) <= 1,
            $"worst error {Reference.WorstError(y, x.Select(v => Math.Tanh(v)).ToArray(), 1e-37, 5e-7)}");
    }

    /// <summary>Two max poolings of one tensor: the second one's gradient adds to the first one's, whole windows at a time.</summary>
    [Fact]
    public void MaxPoolingsOfOneTensorAddTheirGradients()
    {
        var r = new Random(12);
        var x = new Input("x", new[] { 2, 4, 6, 20 }, Reference.Random(2 * 4 * 6 * 20, r));
        _check.Check((g, t) => g.Add(g.Pooling("pool", t[0], PoolingKind.Max, 2), g.Pooling("pool2", t[0], PoolingKind.Max, 2), "sum"),
            new[] { x });
    }

    [Fact]
    public void ReshapeSharesTheBufferAndPassesGradientsThrough()
    {
        var g = new Graph();
        var x = g.Data("x", 2, 3, 4, 5);
        var view = g.Reshape("reshape", x, 2, 60);
        Assert.Equal("reshape=Reshape(x)", view.Producer!.Alias);
        using (var replica = new Replica(g, _device)) Assert.Same(replica[x], replica[view]);

        // y = W·reshape(x) + reshape(x) summed: x's gradient arrives through a view used twice
        var r = new Random(5);
        var input = new Input("x", new[] { 2, 3, 4, 5 }, Reference.Random(120, r));
        var weight = new Input("w", new[] { 60, 60 }, Reference.Random(3600, r, -0.1, 0.1));
        _check.Check((g2, t) =>
        {
            var v = g2.Reshape("reshape", t[0], 2, 60);
            return g2.Add(g2.FullyConnected("fc", v, t[1], null), v);
        }, new[] { input, weight });
        _check.Check((g2, t) => g2.Activate(g2.Reshape("reshape", t[0], 4, 30), Activation.Tanh), new[] { input });
        Assert.Throws<ClNetException>(() => g.Reshape("bad", x, 7, 7));
    }

    [Fact]
    public void AResidualSumAccumulatesTheGradientOfATensorUsedTwice()
    {
        var r = new Random(8);
        var x = new Input("x", new[] { 2, 4, 4, 3 }, Reference.Random(96, r));
        var w = new Input("w", new[] { 3, 3, 3, 3 }, Reference.Random(81, r, -0.4, 0.4));
        _check.Check((g, t) => g.Add(g.Convolution("conv", g.Activate(t[0], Activation.Relu), t[1], null), t[0], "sum"), new[] { x, w });
    }

    /// <summary>
    /// With 16 channels read in place: the input gradient of a convolution adds to what the tensor's other use left there,
    /// for stride 1 (the turned kernel) and stride 2 (by phases), in whole blocks of 8 pixels and partial ones.
    /// </summary>
    [Fact]
    public void DirectConvolutionsAddTheirInputGradientToATensorUsedTwice()
    {
        var r = new Random(9);
        var x = new Input("x", new[] { 2, 4, 18, 16 }, Reference.Random(2 * 4 * 18 * 16, r));
        var w = new Input("w", new[] { 16, 3, 3, 16 }, Reference.Random(16 * 9 * 16, r, -0.2, 0.2));
        var w2 = new Input("w2", new[] { 16, 3, 3, 16 }, Reference.Random(16 * 9 * 16, r, -0.2, 0.2));
        _check.Check((g, t) => g.Add(g.Convolution("conv", t[0], t[1], null), t[0], "sum"), new[] { x, w });
        _check.Check((g, t) => g.Add(g.Convolution("conv", t[0], t[1], null, stride: 2), g.Convolution("conv2", t[0], t[2], null, stride: 2), "sum"),
            new[] { x, w, w2 });
        // 20 channels: the last 4 of the output and of the input gradient go through the row kernels, which add too
        var x20 = new Input("x", new[] { 2, 4, 18, 20 }, Reference.Random(2 * 4 * 18 * 20, r));
        var w20 = new Input("w", new[] { 20, 3, 3, 20 }, Reference.Random(20 * 9 * 20, r, -0.2, 0.2));
        _check.Check((g, t) => g.Add(g.Convolution("conv", t[0], t[1], null), t[0], "sum"), new[] { x20, w20 });
    }

    [Fact]
    public void TheCorrectCountCountsOnlyActiveRows()
    {
        var g = new Graph();
        var logits = g.Data("x", 4, 3);
        var labels = g.Data("label", 4);
        var correct = g.CorrectCount(logits, labels);
        using var replica = new Replica(g, _device);
        replica.Write(logits, new float[] { 1, 5, 2, /**/ 9, 0, 0, /**/ 0, 0, 3, /**/ 3, 2, 1 });
        replica.Write(labels, new float[] { 1, 0, 1, 0 });
        replica.Forward();
        Assert.Equal(3f, replica.Read(correct)[0]);
        replica.ActiveRows = 3;
        replica.Forward();
        Assert.Equal(2f, replica.Read(correct)[0]);
    }

    [Fact]
    public void TheLossOfAShortBatchCountsOnlyItsActiveRows()
    {
        var r = new Random(12);
        var xs = Reference.Random(5 * 4, r, -2, 2);
        var labels = new float[] { 0, 3, 1, 2, 2 };
        var g = new Graph();
        var x = g.Weight("x", new ConstantInitializer(0), 5, 4);
        var label = g.Data("label", 5);
        var loss = g.SoftmaxNllLoss(x, label);
        g.SetLoss(loss);
        using var replica = new Replica(g, _device) { ActiveRows = 3 };
        replica.Write(x, xs);
        replica.Write(label, labels);
        replica.Forward();
        replica.Backward();
        Assert.Equal(Reference.SoftmaxNll(xs[..12], labels[..3], 3, 4), replica.Read(loss)[0], 5);
        Assert.All(replica.Read(x.Gradient!)[12..], v => Assert.Equal(0f, v));
    }
}
