namespace ClNet.Engine;

/// <summary>
/// clnet's Embedding: out[..., :] = matrix[index, :] for every index of the input (indexes stored as
/// floats). Its gradient is a scatter-add into the matrix, each work-item owning 16 of its columns.
/// </summary>
public sealed class EmbeddingOp : Op
{
    public override string TypeName => "Embedding";

    public override void Forward(Replica r, Node node)
    {
        var (index, matrix) = (node.Inputs[0], node.Inputs[1]);
        int e = matrix.Shape[1];
        r.Device.LaunchRows(r.Kernel("embedding_forward").Set(0, index.Volume).Set(1, e).Set(2, r[index]).Set(3, r[matrix]).Set(4, r[node.Output]), index.Volume, e);
    }

    public override void Backward(Replica r, BackwardNode step)
    {
        if (step.InputGradients[1] is not { } dm) return;
        var (index, matrix) = (step.Forward.Inputs[0], step.Forward.Inputs[1]);
        int v = matrix.Shape[0], e = matrix.Shape[1];
        r.Device.Launch(r.Kernel("embedding_sum_rows").Set(0, index.Volume).Set(1, e).Set(2, v).Set(3, r[index]).Set(4, r[step.OutputGradient!])
            .Set(5, step.Beta(1)).Set(6, r[dm]), (e + 15) / 16, 1, 1, 1);
    }
}

public static class EmbeddingGraph
{
    /// <summary>Embedding(data): index[...] and matrix[vocabulary, width] give [..., width].</summary>
    public static Tensor Embedding(this Graph g, string name, Tensor index, Tensor matrix)
    {
        if (matrix.Shape.Rank != 2)
            throw Graph.ShapeMismatch(name, index, matrix, $"'{matrix.Name}' must be [vocabulary, width]");
        var dims = index.Shape.Dimensions.Append(matrix.Shape[1]).ToArray();
        return g.AddNode(new EmbeddingOp(), $"{name}=Embedding({index.Name})", name, new Shape(dims), index, matrix);
    }
}
