namespace ClNet.Engine;

/// <summary>
/// clnet's FullyConnectedLayer: Y = f(X·W + b), with X[..., K], W[K, N], b[N] and the activation f
/// fused into the matrix product's epilogue. Leading dimensions of X are flattened into rows.
/// </summary>
public sealed class DenseOp : Op
{
    public Activation Activation { get; }

    public DenseOp(Activation activation) => Activation = activation;

    public override string TypeName => "FullyConnectedLayer";

    public override void Forward(Replica r, Node node)
    {
        var (x, w, b) = (node.Inputs[0], node.Inputs[1], node.Inputs.Count > 2 ? node.Inputs[2] : null);
        int k = w.Shape[0], n = w.Shape[1], m = x.Volume / k;
        Gemm.Enqueue(r.Device, m, n, k, MatrixView.RowMajor(r[x], k), MatrixView.RowMajor(r[w], n), MatrixView.RowMajor(r[node.Output], n),
            b is null ? null : r[b], b is null ? BiasMode.None : BiasMode.PerColumn, activation: Activation);
    }

    public override void Backward(Replica r, BackwardNode step)
    {
        var node = step.Forward;
        var (x, w) = (node.Inputs[0], node.Inputs[1]);
        int k = w.Shape[0], n = w.Shape[1], m = x.Volume / k;
        var dz = PreActivationGradient.Of(r, step, Activation);

        if (step.InputGradients[0] is { } dx)   // dX = dZ · Wᵀ
            Gemm.Enqueue(r.Device, m, k, n, MatrixView.RowMajor(dz, n), MatrixView.Transposed(r[w], n), MatrixView.RowMajor(r[dx], k), beta: step.Beta(0));
        if (step.InputGradients[1] is { } dw)   // dW = Xᵀ · dZ
            Gemm.Enqueue(r.Device, k, n, m, MatrixView.Transposed(r[x], k), MatrixView.RowMajor(dz, n), MatrixView.RowMajor(r[dw], n), beta: step.Beta(1));
        if (step.InputGradients.Count > 2 && step.InputGradients[2] is { } db)   // db = column sums of dZ
            r.Device.Launch(r.Kernel("column_sum").Set(0, m).Set(1, n).Set(2, dz).Set(3, step.Beta(2)).Set(4, r[db]), (n + 15) / 16, 1, 1, 1);
    }
}

public static class DenseGraph
{
    /// <summary>
    /// Adds a fully connected layer. The alias is clnet's: FCLayer_0=sigmoid(l0_weight*X+l0_bias),
    /// or FC=class_weight*lstm+class_bias for a linear layer.
    /// </summary>
    public static Tensor FullyConnected(this Graph g, string name, Tensor x, Tensor weight, Tensor? bias, Activation activation = Activation.Linear)
    {
        if (weight.Shape.Rank != 2)
            throw new ClNetException("ShapeMismatch", ClNetErrorKind.InvalidArgument, $"{name}: weight '{weight.Name}'{weight.Shape} must have two dimensions [inputs, outputs].", weight.Name);
        if (x.Shape.Columns != weight.Shape[0])
            throw Graph.ShapeMismatch(name, x, weight, $"the last dimension of '{x.Name}' must equal the first of '{weight.Name}'");
        if (bias is not null && (bias.Shape.Rank != 1 || bias.Shape[0] != weight.Shape[1]))
            throw Graph.ShapeMismatch(name, weight, bias, $"'{bias.Name}' must be [{weight.Shape[1]}], one value per output");

        var dims = x.Shape.Dimensions.ToArray();
        dims[^1] = weight.Shape[1];
        string product = $"{weight.Name}*{x.Name}" + (bias is null ? "" : $"+{bias.Name}");
        string alias = activation == Activation.Linear ? $"{name}={product}" : $"{name}={ActivationNames.Of(activation)}({product})";
        var inputs = bias is null ? new[] { x, weight } : new[] { x, weight, bias };
        return g.AddNode(new DenseOp(activation), alias, name, new Shape(dims), inputs);
    }
}
