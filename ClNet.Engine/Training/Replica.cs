namespace ClNet.Engine;

/// <summary>
/// A graph placed on one device: a buffer for every tensor, allocated once and reused by every
/// step, plus scratch buffers that ops ask for by node. Views (reshapes) share their input's
/// buffer. Forward and Backward only enqueue work.
/// </summary>
public sealed class Replica : IDisposable
{
    private readonly Dictionary<Tensor, DeviceBuffer> _buffers = new();
    private readonly List<DeviceBuffer> _owned = new();
    private readonly Dictionary<(Node, string), DeviceBuffer> _workspace = new();

    public Graph Graph { get; }
    public DeviceContext Device { get; }

    /// <summary>Training mode (batch statistics) or inference mode (moving statistics, no dropout).</summary>
    public bool IsTraining { get; set; } = true;

    /// <summary>
    /// How many leading rows of the batch hold real samples (a short last batch); null when all do.
    /// Losses and metrics count only these rows.
    /// </summary>
    public int? ActiveRows { get; set; }

    /// <summary>How many time steps the batch's longest sequence has (recurrent ops loop no further); null for all.</summary>
    public int? SequenceSteps { get; set; }

    /// <summary>Training steps done: ops that draw random numbers (dropout) use it so that every step differs.</summary>
    public long Step { get; set; }

    /// <summary>Which replica of a multi-device training this is: its random streams differ from the others'.</summary>
    public int Index { get; init; }

    public Replica(Graph graph, DeviceContext device)
    {
        Graph = graph;
        Device = device;
        try
        {
            foreach (var tensor in graph.Tensors.Where(t => ViewOf(t) is null))
            {
                var buffer = device.Allocate(tensor.Volume, tensor.Name);
                _owned.Add(buffer);
                _buffers[tensor] = buffer;
            }
            foreach (var tensor in graph.Tensors) _buffers[tensor] = _buffers[Root(tensor)];
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// The tensor whose buffer this one shares: a view's input, and a view's gradient shares its
    /// input's gradient when nothing else adds to that gradient; the gradient of a sum's operand is
    /// the sum's gradient when the operand is used only there, once.
    /// </summary>
    private static Tensor? ViewOf(Tensor t)
    {
        if (t.Producer is { Op.IsView: true } view) return view.Inputs[0];
        if (t.GradientOf?.Producer is { Op.IsView: true } producer && producer.Inputs[0] is { Gradient: { } g } input && input.Consumers.Count == 1)
            return g;
        if (t.GradientOf is { Consumers: [{ Op.PassesGradient: true } sum] } operand && sum.Inputs.Count(i => i == operand) == 1
            && sum.Output.Gradient is { } sumGradient)
            return sumGradient;
        return null;
    }

    private static Tensor Root(Tensor t)
    {
        while (ViewOf(t) is { } inner) t = inner;
        return t;
    }

    public DeviceBuffer this[Tensor tensor] => _buffers.TryGetValue(tensor, out var b) ? b
        : throw new ClNetException("TensorNotInGraph", ClNetErrorKind.InvalidArgument, $"Tensor '{tensor.Name}' is not part of this replica's graph.", tensor.Name);

    public Kernel Kernel(string name) => Device.Kernels[name];

    /// <summary>The rows of a batch that count: <see cref="ActiveRows"/>, at most <paramref name="rows"/>.</summary>
    public int Active(int rows) => Math.Min(ActiveRows ?? rows, rows);

    /// <summary>A scratch buffer owned by one node (for example the pre-activation gradient of a layer).</summary>
    public DeviceBuffer Workspace(Node node, string purpose, int length)
    {
        if (!_workspace.TryGetValue((node, purpose), out var buffer) || buffer.Length < length)
        {
            buffer?.Dispose();
            buffer = Device.Allocate(length, $"{node.Name}:{purpose}");
            _workspace[(node, purpose)] = buffer;
        }
        return buffer;
    }

    /// <summary>Enqueues the forward pass, or only as much of it as <paramref name="until"/> needs.</summary>
    public void Forward(Tensor? until = null)
    {
        foreach (var node in Graph.Nodes)
        {
            node.Op.Forward(this, node);
            if (until is not null && node.Output == until) return;
        }
    }

    public void Backward()
    {
        foreach (var step in Graph.Backward) step.Forward.Op.Backward(this, step);
    }

    public void Write(Tensor tensor, ReadOnlySpan<float> values)
    {
        if (values.Length != tensor.Volume)
            throw new ClNetException("ValueCountMismatch", ClNetErrorKind.InvalidArgument,
                $"Tensor '{tensor.Name}'{tensor.Shape} holds {tensor.Volume} values, not {values.Length}.", tensor.Name);
        Device.Write(this[tensor], values);
    }

    /// <summary>Reads a tensor; this waits for every command enqueued before it.</summary>
    public float[] Read(Tensor tensor)
    {
        var values = new float[tensor.Volume];
        Device.Read(this[tensor], values);
        return values;
    }

    public void Upload(ParameterSet parameters)
    {
        foreach (var tensor in Graph.Parameters) Write(tensor, parameters.Values(tensor.Name));
    }

    /// <summary>Copies every saved tensor to the host store; the store changes only after all reads succeeded.</summary>
    public void Download(ParameterSet parameters)
    {
        var values = Graph.Parameters.ToDictionary(t => t.Name, Read);
        parameters.Replace(values);
    }

    public void Dispose()
    {
        foreach (var b in _owned) b.Dispose();
        foreach (var b in _workspace.Values) b.Dispose();
        _owned.Clear();
        _buffers.Clear();
        _workspace.Clear();
    }
}
