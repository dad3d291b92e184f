namespace ClNet.Engine;

/// <summary>Element-wise sum or product of two tensors of the same shape (clnet's BinaryOperator).</summary>
public sealed class ElementwiseOp : Op
{
    public enum Operation { Add, Multiply }

    public Operation Kind { get; }

    public ElementwiseOp(Operation kind) => Kind = kind;

    public override string TypeName => "BinaryOperator";

    public override bool PassesGradient => Kind == Operation.Add;

    public override void Forward(Replica r, Node node)
    {
        int n = node.Output.Volume;
        var kernel = r.Kernel(Kind == Operation.Add ? "ew_add" : "ew_mul");
        r.Device.LaunchVectors(kernel.Set(0, n).Set(1, r[node.Inputs[0]]).Set(2, r[node.Inputs[1]]).Set(3, r[node.Output]), n);
    }

    public override void Backward(Replica r, BackwardNode step)
    {
        int n = step.Forward.Output.Volume;
        var dy = r[step.OutputGradient!];
        for (int i = 0; i < 2; i++)
        {
            if (step.InputGradients[i] is not { } g) continue;
            if (Kind == Operation.Add && r[g] == dy) continue;   // the operand's gradient shares the sum's buffer: nothing to copy
            if (Kind == Operation.Add)   // d(a+b)/da = 1
                r.Device.LaunchVectors(r.Kernel("ew_axpby").Set(0, n).Set(1, 1f).Set(2, dy).Set(3, step.Beta(i)).Set(4, r[g]), n);
            else                         // d(a*b)/da = b and d(a*b)/db = a
                r.Device.LaunchVectors(r.Kernel("ew_mul_acc").Set(0, n).Set(1, dy).Set(2, r[step.Forward.Inputs[1 - i]]).Set(3, step.Beta(i)).Set(4, r[g]), n);
        }
    }
}

public static class ElementwiseGraph
{
    public static Tensor Add(this Graph g, Tensor a, Tensor b, string? name = null) => Binary(g, ElementwiseOp.Operation.Add, a, b, name, "+");

    public static Tensor Multiply(this Graph g, Tensor a, Tensor b, string? name = null) => Binary(g, ElementwiseOp.Operation.Multiply, a, b, name, "*");

    /// <summary>The alias is clnet's a+b, or name=a+b when the output is named.</summary>
    private static Tensor Binary(Graph g, ElementwiseOp.Operation kind, Tensor a, Tensor b, string? name, string symbol)
    {
        string expression = $"{a.Name}{symbol}{b.Name}";
        if (a.Shape != b.Shape) throw Graph.ShapeMismatch(name ?? expression, a, b, "element-wise operands must have the same shape");
        return g.AddNode(new ElementwiseOp(kind), name is null ? expression : $"{name}={expression}", name ?? expression, a.Shape, a, b);
    }
}
