namespace ClNet.Engine;

/// <summary>
/// clnet's DropOut: in training each value is zeroed with probability p and the others scaled by
/// 1/(1-p) (inverted dropout); at inference it passes values through. The mask comes from the
/// counter generator (seed, step), so forward and backward agree and a seeded run repeats.
/// </summary>
public sealed class DropoutOp : Op
{
    public float Probability { get; }
    public uint Seed { get; }

    public DropoutOp(float probability, uint seed)
    {
        if (probability is < 0 or >= 1)
            throw new ClNetException("InvalidDropout", ClNetErrorKind.InvalidArgument, $"A dropout probability must be in [0, 1), not {probability}.", probability);
        Probability = probability;
        Seed = seed;
    }

    public override string TypeName => "DropOut";

    /// <summary>The random stream of a step: differs every training step and for every dropout of the graph.</summary>
    internal static uint Stream(Replica r, uint salt) => unchecked((uint)r.Step * 0x9E3779B1u + (uint)r.Index * 0x85EBCA77u + salt);

    private float Active(Replica r) => r.IsTraining ? Probability : 0f;

    public override void Forward(Replica r, Node node)
    {
        int n = node.Output.Volume;
        r.Device.Launch1D(r.Kernel("dropout_forward").Set(0, n).Set(1, Active(r)).Set(2, Seed).Set(3, Stream(r, Seed)).Set(4, r[node.Inputs[0]]).Set(5, r[node.Output]), n);
    }

    public override void Backward(Replica r, BackwardNode step)
    {
        if (step.InputGradients[0] is not { } dx) return;
        int n = dx.Volume;
        r.Device.Launch1D(r.Kernel("dropout_backward").Set(0, n).Set(1, Active(r)).Set(2, Seed).Set(3, Stream(r, Seed)).Set(4, r[step.OutputGradient!])
            .Set(5, step.Beta(0)).Set(6, r[dx]), n);
    }
}

public static class DropoutGraph
{
    public static Tensor Dropout(this Graph g, string name, Tensor x, float probability, uint seed = 1) =>
        g.AddNode(new DropoutOp(probability, seed), $"{name}=DropOut({x.Name})", name, x.Shape, x);
}
