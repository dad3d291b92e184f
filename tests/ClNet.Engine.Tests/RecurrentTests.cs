using ClNet.Engine;
using Xunit;
using Input = GradientCheck.Input;

/// <summary>Embedding, dropout, LSTM: forward against float64 references, backward against finite differences.</summary>
[Collection("device")]
public class RecurrentTests
{
    private readonly GradientCheck _check;

    public RecurrentTests(DeviceFixture fixture) => _check = new GradientCheck(fixture.Device);

    [Fact]
    public void EmbeddingLooksUpRowsAndScatterAddsItsGradient()
    {
        var r = new Random(1);
        var index = new Input("data", new[] { 3, 4 }, new float[] { 0, 2, 2, 5, 1, 1, 4, 0, 5, 5, 5, 3 }, Differentiable: false);
        var matrix = new Input("embedding_matrix", new[] { 6, 5 }, Reference.Random(30, r));
        Func<Graph, Tensor[], Tensor> build = (g, t) => g.Embedding("embedding", t[0], t[1]);
        var actual = _check.Forward(build, index, matrix);
        var expected = index.Values.SelectMany(i => matrix.Values.Skip((int)i * 5).Take(5)).Select(v => (double)v).ToArray();
        Assert.True(Reference.WorstError(actual, expected, 0, 1e-6) <= 1);
        _check.Check(build, new[] { index, matrix });
    }

    /// <summary>One matrix looked up twice: the second backward pass adds to the first's gradient (beta = 1).</summary>
    [Fact]
    public void AnEmbeddingMatrixUsedTwiceSumsBothGradients()
    {
        var r = new Random(3);
        var first = new Input("first", new[] { 2, 3 }, new float[] { 0, 4, 4, 1, 2, 0 }, Differentiable: false);
        var second = new Input("second", new[] { 2, 3 }, new float[] { 3, 3, 0, 4, 1, 1 }, Differentiable: false);
        var matrix = new Input("embedding_matrix", new[] { 5, 18 }, Reference.Random(90, r));
        _check.Check((g, t) => g.Add(g.Embedding("a", t[0], t[2]), g.Embedding("b", t[1], t[2])), new[] { first, second, matrix });
    }

    [Fact]
    public void DropoutZeroesAFractionScalesTheRestAndPassesGradientsThroughTheMask()
    {
        var r = new Random(2);
        var x = new Input("x", new[] { 40, 50 }, Reference.Random(2000, r, 1, 2));
        Func<Graph, Tensor[], Tensor> build = (g, t) => g.Dropout("dropout", t[0], 0.3f, seed: 7);
        var y = _check.Forward(build, x);
        int zeros = y.Count(v => v == 0);
        Assert.InRange(zeros, 480, 720);   // 30 % of 2000, give or take
        for (int i = 0; i < y.Length; i++)
            if (y[i] != 0) Assert.Equal(x.Values[i] / 0.7f, y[i], 4);
        Assert.Equal(x.Values, _check.Forward(build, new[] { x }, training: false));   // off at inference
        _check.Check(build, new[] { x });
    }

    public static TheoryData<int, int, int, int, int, float[], float> LstmCases => new()
    {
        // batch, time, input, hidden, layers, lengths, dropout
        { 3, 4, 5, 6, 2, new float[] { 4, 2, 3 }, 0f },
        { 2, 3, 4, 5, 1, new float[] { 3, 3 }, 0f },
        { 2, 5, 3, 4, 3, new float[] { 5, 1 }, 0f },
        { 3, 4, 5, 6, 2, new float[] { 4, 4, 2 }, 0.3f },
        { 2, 3, 4, 20, 2, new float[] { 3, 2 }, 0.3f },   // dropout over rows of 16 + 4 units
        { 10, 3, 4, 37, 2, new float[] { 3, 1, 2, 3, 3, 2, 1, 3, 3, 2 }, 0f },   // more than 8 sequences; 37 units: blocks of 8 and 32, partial
    };

    private static Input[] LstmInputs(int b, int t, int e, float[] lengths, int seed) => new[]
    {
        new Input("x", new[] { b, t, e }, Reference.Random(b * t * e, new Random(seed))),
        new Input("length", new[] { b }, lengths, Differentiable: false),
    };

    [Theory]
    [MemberData(nameof(LstmCases))]
    public void LstmBackwardThroughTimeMatchesFiniteDifferences(int b, int t, int e, int h, int layers, float[] lengths, float dropout) =>
        _check.Check((g, x) => g.Lstm("lstm", x[0], x[1], layers, h, dropout), LstmInputs(b, t, e, lengths, b + t + h), samples: 40,
            ownLow: -0.6, ownHigh: 0.6);   // weights of both signs keep the gates out of saturation

    [Theory]
    [InlineData(3, 4, 5, 6)]
    [InlineData(11, 3, 4, 37)]   // more than 8 sequences; 37 units: blocks of 8 and 32, partial
    public void LstmForwardMatchesTheReference(int b, int t, int e, int h)
    {
        int layers = 2;
        var lengths = Enumerable.Range(0, b).Select(i => (float)(t - i % t)).ToArray();
        var inputs = LstmInputs(b, t, e, lengths, 9);
        var r = new Random(10);
        var weights = new Dictionary<string, float[]>();
        for (int l = 0; l < layers; l++)
        {
            int width = l == 0 ? e : h;
            weights[$"lstm_weight_x{l}"] = Reference.Random(width * 4 * h, r, -0.5, 0.5);
            weights[$"lstm_weight_h{l}"] = Reference.Random(h * 4 * h, r, -0.5, 0.5);
            weights[$"lstm_bias{l}"] = Reference.Random(4 * h, r, -0.5, 0.5);
        }
        var actual = _check.Forward((g, x) => g.Lstm("lstm", x[0], x[1], layers, h), inputs, training: true, weights);
        var expected = ReferenceLstm(inputs[0].Values, lengths, b, t, e, h, layers, weights);
        Assert.True(Reference.WorstError(actual, expected, 1e-5, 1e-4) <= 1, $"worst {Reference.WorstError(actual, expected, 1e-5, 1e-4)}");
    }

    public static TheoryData<int, int, int, int, int> EmbeddedLstmCases => new()
    {
        // batch, time, vocabulary, width, hidden: the first layer looks its projection up in a [V, 4H] table
        // when V <= B*T, and multiplies the embedded rows otherwise; the backward pass sums per entry either way
        { 3, 4, 5, 6, 7 },
        { 2, 2, 9, 3, 5 },
        { 10, 3, 6, 4, 37 },
    };

    private static Input[] EmbeddedLstmInputs(int b, int t, int v, int e, int seed)
    {
        var r = new Random(seed);
        return new[]
        {
            new Input("data", new[] { b, t }, Enumerable.Range(0, b * t).Select(_ => (float)r.Next(v)).ToArray(), Differentiable: false),
            new Input("embedding_matrix", new[] { v, e }, Reference.Random(v * e, r)),
            new Input("length", new[] { b }, Enumerable.Range(0, b).Select(i => (float)(t - i % t)).ToArray(), Differentiable: false),
        };
    }

    private static Tensor EmbeddedLstm(Graph g, Tensor[] x, int h) => g.Lstm("lstm", g.Embedding("embedding", x[0], x[1]), x[2], 2, h);

    [Theory]
    [MemberData(nameof(EmbeddedLstmCases))]
    public void LstmOverAnEmbeddingGivesTheMatrixItsGradient(int b, int t, int v, int e, int h) =>
        _check.Check((g, x) => EmbeddedLstm(g, x, h), EmbeddedLstmInputs(b, t, v, e, b + v + h), samples: 40, ownLow: -0.6, ownHigh: 0.6);

    [Theory]
    [MemberData(nameof(EmbeddedLstmCases))]
    public void LstmOverAnEmbeddingMatchesTheReference(int b, int t, int v, int e, int h)
    {
        var inputs = EmbeddedLstmInputs(b, t, v, e, 11);
        var r = new Random(12);
        var weights = new Dictionary<string, float[]>();
        for (int l = 0; l < 2; l++)
        {
            weights[$"lstm_weight_x{l}"] = Reference.Random((l == 0 ? e : h) * 4 * h, r, -0.5, 0.5);
            weights[$"lstm_weight_h{l}"] = Reference.Random(h * 4 * h, r, -0.5, 0.5);
            weights[$"lstm_bias{l}"] = Reference.Random(4 * h, r, -0.5, 0.5);
        }
        var actual = _check.Forward((g, x) => EmbeddedLstm(g, x, h), inputs, training: true, weights);
        var x = inputs[0].Values.SelectMany(i => inputs[1].Values.Skip((int)i * e).Take(e)).ToArray();
        var expected = ReferenceLstm(x, inputs[2].Values, b, t, e, h, 2, weights);
        Assert.True(Reference.WorstError(actual, expected, 1e-5, 1e-4) <= 1, $"worst {Reference.WorstError(actual, expected, 1e-5, 1e-4)}");
    }

    /// <summary>Float64 LSTM, gates in the order i, f, o, g; past a sequence's end its state is held.</summary>
    private static double[] ReferenceLstm(float[] x, float[] lengths, int b, int t, int e, int h, int layers, Dictionary<string, float[]> w)
    {
        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
        var input = x.Select(v => (double)v).ToArray();
        int width = e;
        for (int l = 0; l < layers; l++)
        {
            var wx = w[$"lstm_weight_x{l}"]; var wh = w[$"lstm_weight_h{l}"]; var bias = w[$"lstm_bias{l}"];
            var output = new double[b * t * h];
            for (int s = 0; s < b; s++)
            {
                var hs = new double[h]; var cs = new double[h];
                for (int step = 0; step < t; step++)
                {
                    if (step < lengths[s])
                    {
                        var gates = new double[4 * h];
                        for (int j = 0; j < 4 * h; j++)
                        {
                            double z = bias[j];
                            for (int k = 0; k < width; k++) z += input[(s * t + step) * width + k] * wx[k * 4 * h + j];
                            for (int k = 0; k < h; k++) z += hs[k] * wh[k * 4 * h + j];
                            gates[j] = z;
                        }
                        for (int k = 0; k < h; k++)
                        {
                            double i = Sigmoid(gates[k]), f = Sigmoid(gates[h + k]), o = Sigmoid(gates[2 * h + k]), g = Math.Tanh(gates[3 * h + k]);
                            cs[k] = f * cs[k] + i * g;
                            hs[k] = o * Math.Tanh(cs[k]);
                        }
                    }
                    for (int k = 0; k < h; k++) output[(s * t + step) * h + k] = hs[k];
                }
            }
            input = output;
            width = h;
        }
        return input;
    }
}
