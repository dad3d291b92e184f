namespace ClNet.Engine;

/// <summary>One operation of the forward graph: its op, its inputs and the tensor it writes.</summary>
public sealed class Node
{
    public Op Op { get; }
    public IReadOnlyList<Tensor> Inputs { get; }
    public Tensor Output { get; }

    /// <summary>The readable form clnet prints: FCLayer_0=sigmoid(l0_weight*X+l0_bias).</summary>
    public string Alias { get; }

    public string Name => Output.Name;
    public string TypeName => Op.TypeName;

    internal Node(Op op, string alias, Tensor output, IReadOnlyList<Tensor> inputs)
    {
        Op = op;
        Alias = alias;
        Output = output;
        Inputs = inputs;
    }

    public override string ToString() => Alias;
}

/// <summary>
/// The backward step of a node, generated from the loss: the output gradient it reads and, per
/// input, the gradient it writes (null where the input needs none) and whether it adds to it
/// because another consumer of the same tensor wrote it first.
/// </summary>
public sealed class BackwardNode
{
    public Node Forward { get; }
    public Tensor? OutputGradient { get; }
    public IReadOnlyList<Tensor?> InputGradients { get; }
    public IReadOnlyList<bool> Accumulates { get; }

    public string Alias => "back:" + Forward.Alias;
    public string TypeName => Forward.TypeName;

    internal BackwardNode(Node forward, Tensor? outputGradient, Tensor?[] inputGradients, bool[] accumulates)
    {
        Forward = forward;
        OutputGradient = outputGradient;
        InputGradients = inputGradients;
        Accumulates = accumulates;
    }

    /// <summary>The beta of y = new + beta * y for input <paramref name="input"/>.</summary>
    public float Beta(int input) => Accumulates[input] ? 1f : 0f;

    public override string ToString() => Alias;
}
