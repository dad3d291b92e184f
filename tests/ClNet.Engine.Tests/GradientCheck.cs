using ClNet.Engine;
using Xunit;

/// <summary>
/// Builds a one-op graph on the shared device, runs it forward, and checks its backward pass
/// against central finite differences of the op's own forward pass: L = Σ output ⊙ R for a random R
/// (for a loss, L is the loss itself).
/// </summary>
public sealed class GradientCheck
{
    public sealed record Input(string Name, int[] Shape, float[] Values, bool Differentiable = true);

    private readonly DeviceContext _device;

    public GradientCheck(DeviceContext device) => _device = device;

    /// <summary>Runs the forward pass and returns the output values.</summary>
    public float[] Forward(Func<Graph, Tensor[], Tensor> build, params Input[] inputs) => Forward(build, inputs, training: true);

    public float[] Forward(Func<Graph, Tensor[], Tensor> build, Input[] inputs, bool training, IReadOnlyDictionary<string, float[]>? parameters = null)
    {
        var (graph, tensors, output) = Build(build, inputs, differentiate: false);
        using var replica = new Replica(graph, _device) { IsTraining = training };
        for (int i = 0; i < inputs.Length; i++) replica.Write(tensors[i], inputs[i].Values);
        foreach (var (name, values) in parameters ?? new Dictionary<string, float[]>()) replica.Write(graph[name], values);
        replica.Forward();
        return replica.Read(output);
    }

    /// <summary>Weights and parameters that the op's graph method created itself (batch norm's gamma, beta, moving statistics).</summary>
    private static IEnumerable<Tensor> OwnParameters(Graph graph, Tensor[] inputs) => graph.Parameters.Where(t => !inputs.Contains(t));

    /// <summary>
    /// Compares analytic and numeric gradients of every differentiable input; at most
    /// <paramref name="samples"/> elements per input are perturbed.
    /// </summary>
    public void Check(Func<Graph, Tensor[], Tensor> build, Input[] inputs, double step = 1e-2, double atol = 1e-3, double rtol = 3e-3, int samples = 60, int seed = 1,
        double ownLow = 0.5, double ownHigh = 1.5)
    {
        var (graph, tensors, output) = Build(build, inputs, differentiate: true);
        using var replica = new Replica(graph, _device);
        var random = new Random(seed);
        bool isLoss = output.Producer!.Op.IsLoss;
        var weights = isLoss ? new[] { 1f } : Reference.Random(output.Volume, random);
        if (!isLoss) replica.Write(output.Gradient!, weights);
        // the op's own trainable tensors are checked like inputs, from random values in [ownLow, ownHigh]
        var own = OwnParameters(graph, tensors).ToList();
        foreach (var p in own.Where(p => !p.IsTrainable)) replica.Write(p, ParameterSet.Initialize(graph, 0).Values(p.Name));
        var trainable = own.Where(p => p.IsTrainable).ToList();
        inputs = inputs.Concat(trainable.Select(p => new Input(p.Name, p.Shape.Dimensions.ToArray(), Reference.Random(p.Volume, random, ownLow, ownHigh)))).ToArray();
        tensors = tensors.Concat(trainable).ToArray();
        var values = inputs.Select(i => (float[])i.Values.Clone()).ToArray();
        for (int i = 0; i < inputs.Length; i++) replica.Write(tensors[i], values[i]);
        replica.Forward();
        replica.Backward();

        double Objective()
        {
            replica.Forward();
            var y = replica.Read(output);
            double s = 0;
            for (int e = 0; e < y.Length; e++) s += (double)y[e] * weights[e];
            return s;
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            if (!inputs[i].Differentiable) continue;
            var analytic = replica.Read(tensors[i].Gradient!);
            var elements = Enumerable.Range(0, values[i].Length).OrderBy(_ => random.Next()).Take(samples).ToList();
            foreach (int e in elements)
            {
                float original = values[i][e];
                values[i][e] = original + (float)step;
                replica.Write(tensors[i], values[i]);
                double plus = Objective();
                values[i][e] = original - (float)step;
                replica.Write(tensors[i], values[i]);
                double minus = Objective();
                values[i][e] = original;
                replica.Write(tensors[i], values[i]);
                double center = Objective();
                // Central differences, and one-sided ones for a kink (relu at 0) that falls inside the step:
                // a right gradient matches at least one of them, a wrong one none.
                double[] numeric = { (plus - minus) / (2 * step), (plus - center) / step, (center - minus) / step };
                bool close = numeric.Any(d => Math.Abs(analytic[e] - d) <= atol + rtol * Math.Max(Math.Abs(d), Math.Abs(analytic[e])));
                Assert.True(close, $"gradient of {inputs[i].Name}[{e}]: backward {analytic[e]}, finite difference {numeric[0]}");
            }
        }
    }

    private static (Graph, Tensor[], Tensor) Build(Func<Graph, Tensor[], Tensor> build, Input[] inputs, bool differentiate)
    {
        var graph = new Graph();
        var tensors = inputs.Select(i => graph.Data(i.Name, i.Shape)).ToArray();
        var output = build(graph, tensors);
        if (differentiate)
        {
            var wanted = tensors.Where((_, i) => inputs[i].Differentiable).ToArray();
            if (output.Producer!.Op.IsLoss) graph.SetLoss(output, wanted);
            else graph.Differentiate(output, wanted);
        }
        return (graph, tensors, output);
    }
}
