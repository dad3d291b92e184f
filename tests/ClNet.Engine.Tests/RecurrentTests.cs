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
