namespace ClNet.Engine;

/// <summary>
/// An operation: how a node's output is computed on a replica, and how the gradients of its inputs
/// follow from the gradient of its output. Ops hold only their settings, never buffers.
/// </summary>
public abstract class Op
{
    /// <summary>clnet's type name, shown by the graph and the profiler (FullyConnectedLayer, Loss, ...).</summary>
    public abstract string TypeName { get; }

    /// <summary>A loss produces a scalar and seeds the backward pass itself: it needs no output gradient.</summary>
    public virtual bool IsLoss => false;

    /// <summary>The output is a view of the first input (a reshape): it shares its buffer instead of copying.</summary>
    public virtual bool IsView => false;

    /// <summary>
    /// Each input's gradient equals the output's (a sum): an input whose only use is here shares the
    /// output gradient's buffer instead of receiving a copy.
    /// </summary>
    public virtual bool PassesGradient => false;

    /// <summary>
    /// Whether the backward pass gives input <paramref name="input"/> of <paramref name="node"/> a gradient when
    /// it needs one. False where the op sends that gradient further itself (an LSTM that reads its
    /// embedding's matrix gives the matrix its gradient, and the embedding's output none).
    /// </summary>
    public virtual bool HasGradient(Node node, int input) => true;

    public abstract void Forward(Replica replica, Node node);

    /// <summary>
    /// A loss's forward pass also writes here how many rows it averaged over (a float on the device):
    /// the weight of this replica's gradient when several replicas average theirs.
    /// </summary>
    public static DeviceBuffer LossCount(Replica replica, Node loss) => replica.Workspace(loss, "count", 1);

    /// <summary>
    /// Writes the gradient of every input that has one in <paramref name="step"/>; where
    /// <see cref="BackwardNode.Accumulates"/> is true it adds to what is there instead.
    /// </summary>
    public abstract void Backward(Replica replica, BackwardNode step);
}
