namespace ClNet.Engine;

/// <summary>
/// clnet's BatchNormalizedLayer over the last dimension (channels of an NHWC tensor):
/// y = gamma * (x - mean) / sqrt(var + epsilon) + beta. Training uses the batch's statistics and
/// moves the moving mean and variance towards them; inference uses the moving statistics.
/// Inputs: x, gamma (trained), beta (trained), moving_mean and moving_variance (saved, not trained).
/// An activation may be fused (a residual network's relu(bn(x))): applied as y is written, and in the
/// backward pass recomputed from x, which those kernels read anyway: two passes over the tensor saved.
/// </summary>
public sealed class BatchNormOp : Op
{
    /// <summary>Rows summed by one work-item in the first stage of a column reduction.</summary>
    private const int Chunk = 256;

    /// <summary>Rows per work-item of bn_normalize and bn_backward_input on a CPU (DeviceContext.LaunchRowShares).</summary>
    private const int RowsPerItem = 64;

    public float Momentum { get; }
    public float Epsilon { get; }
    public Activation Activation { get; }

    public BatchNormOp(float momentum, float epsilon, Activation activation = Activation.Linear)
    {
        Momentum = momentum;
        Epsilon = epsilon;
        Activation = activation;
    }

    public override string TypeName => "BatchNormalizedLayer";

    private static (int M, int C, int R) Sizes(Tensor x) => (x.Shape.Rows, x.Shape.Columns, (x.Shape.Rows + Chunk - 1) / Chunk);

    public override void Forward(Replica r, Node node)
    {
        var x = node.Inputs[0];
        var (m, c, chunks) = Sizes(x);
        var mean = r.Workspace(node, "mean", c);
        var rstd = r.Workspace(node, "rstd", c);
        if (r.IsTraining)
        {
            // one pass over x: each chunk's sum and squared deviations, then combined per channel
            var sums = r.Workspace(node, "chunk_sums", chunks * c);
            var deviations = r.Workspace(node, "chunk_sums2", chunks * c);
            r.Device.Launch(r.Kernel("bn_partial_statistics").Set(0, m).Set(1, c).Set(2, Chunk).Set(3, r[x]).Set(4, sums).Set(5, deviations),
                (c + 15) / 16, chunks, 1, 1);
            r.Device.Launch1D(r.Kernel("bn_combine_statistics").Set(0, chunks).Set(1, c).Set(2, m).Set(3, Chunk).Set(4, Momentum).Set(5, Epsilon)
                .Set(6, sums).Set(7, deviations).Set(8, mean).Set(9, rstd).Set(10, r[node.Inputs[3]]).Set(11, r[node.Inputs[4]]), c);
        }
        else
        {
            r.Device.Launch1D(r.Kernel("bn_moving_statistics").Set(0, c).Set(1, Epsilon).Set(2, r[node.Inputs[3]]).Set(3, r[node.Inputs[4]])
                .Set(4, mean).Set(5, rstd), c);
        }
        r.Device.LaunchRowShares(r.Kernel("bn_normalize").Set(0, m).Set(1, c).Set(2, r[x]).Set(3, mean).Set(4, rstd)
            .Set(5, r[node.Inputs[1]]).Set(6, r[node.Inputs[2]]).Set(7, r[node.Output]).Set(8, (int)Activation), (c + 15) / 16, m, RowsPerItem);
    }

    public override void Backward(Replica r, BackwardNode step)
    {
        var node = step.Forward;
        var x = node.Inputs[0];
        var (m, c, chunks) = Sizes(x);
        var dy = r[step.OutputGradient!];
        var (mean, rstd) = (r.Workspace(node, "mean", c), r.Workspace(node, "rstd", c));
        var partialDy = r.Workspace(node, "chunk_sums", chunks * c);
        var partialDyXhat = r.Workspace(node, "chunk_sums2", chunks * c);
        r.Device.Launch(r.Kernel("bn_partial_backward").Set(0, m).Set(1, c).Set(2, Chunk).Set(3, r[x]).Set(4, dy).Set(5, mean).Set(6, rstd)
            .Set(7, partialDy).Set(8, partialDyXhat).Set(9, r[node.Inputs[1]]).Set(10, r[node.Inputs[2]]).Set(11, (int)Activation), (c + 15) / 16, chunks, 1, 1);
        var sumDy = r.Workspace(node, "sum_dy", c);
        var sumDyXhat = r.Workspace(node, "sum_dyxhat", c);
        Reduce(r, chunks, c, partialDy, sumDy, 0f);
        Reduce(r, chunks, c, partialDyXhat, sumDyXhat, 0f);
        if (step.InputGradients[1] is { } dgamma) Reduce(r, chunks, c, partialDyXhat, r[dgamma], step.Beta(1));
        if (step.InputGradients[2] is { } dbeta) Reduce(r, chunks, c, partialDy, r[dbeta], step.Beta(2));
        if (step.InputGradients[0] is { } dx)
            r.Device.LaunchRowShares(r.Kernel("bn_backward_input").Set(0, m).Set(1, c).Set(2, r[x]).Set(3, dy).Set(4, mean).Set(5, rstd).Set(6, r[node.Inputs[1]])
                .Set(7, sumDy).Set(8, sumDyXhat).Set(9, step.Beta(0)).Set(10, r[dx]).Set(11, r[node.Inputs[2]]).Set(12, (int)Activation), (c + 15) / 16, m, RowsPerItem);
    }

    private static void Reduce(Replica r, int chunks, int c, DeviceBuffer partial, DeviceBuffer result, float beta) =>
        r.Device.Launch1D(r.Kernel("bn_reduce").Set(0, chunks).Set(1, c).Set(2, partial).Set(3, 1f).Set(4, beta).Set(5, result), c);
}

public static class BatchNormGraph
{
    /// <summary>
    /// Adds batch normalisation with clnet's parameter names: {name}_gamma, {name}_beta,
    /// {name}_moving_mean, {name}_moving_variance, and optionally a fused activation.
    /// Alias: bn=bn_gamma*normalize(x)+bn_beta, or bn=relu(bn_gamma*normalize(x)+bn_beta).
    /// </summary>
    public static Tensor BatchNorm(this Graph g, string name, Tensor x, float momentum = 0.9f, float epsilon = 1e-5f, Activation activation = Activation.Linear)
    {
        int c = x.Shape.Columns;
        var gamma = g.Weight($"{name}_gamma", new ConstantInitializer(1), c);
        var beta = g.Bias($"{name}_beta", new ConstantInitializer(0), c);
        var movingMean = g.Parameter($"{name}_moving_mean", new ConstantInitializer(0), c);
        var movingVariance = g.Parameter($"{name}_moving_variance", new ConstantInitializer(1), c);
        string normalized = $"{gamma.Name}*normalize({x.Name})+{beta.Name}";
        string alias = activation == Activation.Linear ? $"{name}={normalized}" : $"{name}={ActivationNames.Of(activation)}({normalized})";
        return g.AddNode(new BatchNormOp(momentum, epsilon, activation), alias, name, x.Shape, x, gamma, beta, movingMean, movingVariance);
    }
}
