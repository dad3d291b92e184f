namespace ClNet.Engine;

/// <summary>Activation functions; the values are the ACT_* codes of kernels/common.cl.</summary>
public enum Activation
{
    Linear = 0,
    Sigmoid = 1,
    Tanh = 2,
    Relu = 3,
    /// <summary>softplus: log(1 + e^x), clnet's softrelu.</summary>
    SoftRelu = 4,
}

public static class ActivationNames
{
    /// <summary>clnet's spelling in aliases: sigmoid, tanh, relu, softrelu.</summary>
    public static string Of(Activation a) => a switch
    {
        Activation.Sigmoid => "sigmoid",
        Activation.Tanh => "tanh",
        Activation.Relu => "relu",
        Activation.SoftRelu => "softrelu",
        _ => "linear",
    };
}

/// <summary>clnet's standalone Activation node: y = f(x) element-wise.</summary>
public sealed class ActivationOp : Op
{
    public Activation Function { get; }

    public ActivationOp(Activation function) => Function = function;

    public override string TypeName => "Activation";

    public override void Forward(Replica r, Node node)
    {
        int n = node.Output.Volume;
        r.Device.LaunchVectors(r.Kernel("activation_forward").Set(0, n).Set(1, r[node.Inputs[0]]).Set(2, r[node.Output]).Set(3, (int)Function), n);
    }

    public override void Backward(Replica r, BackwardNode step)
    {
        if (step.InputGradients[0] is not { } dx) return;
        int n = dx.Volume;
        r.Device.LaunchVectors(r.Kernel("activation_backward").Set(0, n).Set(1, r[step.Forward.Output]).Set(2, r[step.OutputGradient!])
            .Set(3, step.Beta(0)).Set(4, r[dx]).Set(5, (int)Function), n);
    }
}

public static class ActivationGraph
{
    /// <summary>Adds f(x); the output is named as clnet names it, relu(x), unless a name is given.</summary>
    public static Tensor Activate(this Graph g, Tensor x, Activation function, string? name = null)
    {
        string output = name ?? $"{ActivationNames.Of(function)}({x.Name})";
        return g.AddNode(new ActivationOp(function), output, output, x.Shape, x);
    }
}
