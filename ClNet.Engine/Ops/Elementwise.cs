namespace ClNet.Engine;

/// <summary>Element-wise sum of two tensors of the same shape (clnet's BinaryOperator a+b).</summary>
public sealed class AddOp : Op
{
    public override string TypeName => "BinaryOperator";

    public override void Forward(Replica r, Node node)
    {
        int n = node.Output.Volume;
        r.Device.Launch1D(r.Kernel("ew_add").Set(0, n).Set(1, r[node.Inputs[0]]).Set(2, r[node.Inputs[1]]).Set(3, r[node.Output]), n);
    }

    public override void Backward(Replica r, BackwardNode step)
    {
        int n = step.Forward.Output.Volume;
        var dy = r[step.OutputGradient!];
        for (int i = 0; i < 2; i++)
            if (step.InputGradients[i] is { } g)
                r.Device.Launch1D(r.Kernel("ew_axpby").Set(0, n).Set(1, 1f).Set(2, dy).Set(3, step.Beta(i)).Set(4, r[g]), n);
    }
}

/// <summary>Element-wise product of two tensors of the same shape.</summary>
public sealed class MultiplyOp : Op
{
    public override string TypeName => "BinaryOperator";

    public override void Forward(Replica r, Node node)
    {
        int n = node.Output.Volume;
        r.Device.Launch1D(r.Kernel("ew_mul").Set(0, n).Set(1, r[node.Inputs[0]]).Set(2, r[node.Inputs[1]]).Set(3, r[node.Output]), n);
    }

    public override void Backward(Replica r, BackwardNode step)
    {
        int n = step.Forward.Output.Volume;
        var dy = r[step.OutputGradient!];
        for (int i = 0; i < 2; i++)
            if (step.InputGradients[i] is { } g)   // d(a*b)/da = b and d(a*b)/db = a
                r.Device.Launch1D(r.Kernel("ew_mul_acc").Set(0, n).Set(1, dy).Set(2, r[step.Forward.Inputs[1 - i]]).Set(3, step.Beta(i)).Set(4, r[g]), n);
    }
}

public static class ElementwiseGraph
{
    public static Tensor Add(this Graph g, Tensor a, Tensor b, string? name = null) =>
        Binary(g, new AddOp(), a, b, name ?? $"{a.Name}+{b.Name}", "+");

    public static Tensor Multiply(this Graph g, Tensor a, Tensor b, string? name = null) =>
        Binary(g, new MultiplyOp(), a, b, name ?? $"{a.Name}*{b.Name}", "*");

    private static Tensor Binary(Graph g, Op op, Tensor a, Tensor b, string name, string symbol)
    {
        if (a.Shape != b.Shape) throw Graph.ShapeMismatch(name, a, b, "element-wise operands must have the same shape");
        return g.AddNode(op, name == $"{a.Name}{symbol}{b.Name}" ? name : $"{name}={a.Name}{symbol}{b.Name}", name, a.Shape, a, b);
    }
}
