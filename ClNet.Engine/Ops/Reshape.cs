namespace ClNet.Engine;

/// <summary>clnet's Reshape: the same values under another shape. Free: the output shares the input's buffer.</summary>
public sealed class ReshapeOp : Op
{
    public override string TypeName => "Reshape";
    public override bool IsView => true;

    public override void Forward(Replica r, Node node) { }

    /// <summary>Nothing to do when the gradients share a buffer too; otherwise the gradient is added to the input's.</summary>
    public override void Backward(Replica r, BackwardNode step)
    {
        if (step.InputGradients[0] is not { } dx || r[dx] == r[step.OutputGradient!]) return;
        int n = dx.Volume;
        r.Device.LaunchVectors(r.Kernel("ew_axpby").Set(0, n).Set(1, 1f).Set(2, r[step.OutputGradient!]).Set(3, step.Beta(0)).Set(4, r[dx]), n);
    }
}

public static class ReshapeGraph
{
    public static Tensor Reshape(this Graph g, string name, Tensor x, params int[] shape)
    {
        var target = new Shape(shape);
        if (target.Volume != x.Volume)
            throw new ClNetException("ShapeMismatch", ClNetErrorKind.InvalidArgument,
                $"{name}: '{x.Name}'{x.Shape} holds {x.Volume} values and cannot be reshaped to {target} ({target.Volume} values).", x.Name);
        return g.AddNode(new ReshapeOp(), $"{name}=Reshape({x.Name})", name, target, x);
    }
}
