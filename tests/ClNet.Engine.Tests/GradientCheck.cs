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
    public float[] Forward(Func<Graph, Tensor[], Tensor> build, params Input[] inputs)
    {
        var (graph, tensors, output) = Build(build, inputs, differentiate: false);
        using var replica = new Replica(graph, _device);
        for (int i = 0; i < inputs.Length; i++) replica.Write(tensors[i], inputs[i].Values);
        replica.Forward();
        return replica.Read(output);
    }

    /// <summary>
    /// Compares analytic and numeric gradients of every differentiable input; at most
    /// <paramref name="samples"/> elements per input are perturbed.
    /// </summary>
    public void Check(Func<Graph, Tensor[], Tensor> build, Input[] inputs, double step = 1e-2, double atol = 2e-3, double rtol = 2e-2, int samples = 60, int seed = 1)
    {
        var (graph, tensors, output) = Build(build, inputs, differentiate: true);
        using var replica = new Replica(graph, _device);
        var random = new Random(seed);
        bool isLoss = output.Producer!.Op.IsLoss;
        var weights = isLoss ? new[] { 1f } : Reference.Random(output.Volume, random);
        if (!isLoss) replica.Write(output.Gradient!, weights);
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
