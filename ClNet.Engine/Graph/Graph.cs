namespace ClNet.Engine;

/// <summary>
/// A computation graph: named tensors, the forward nodes in execution order (the order they were
/// added, which is topological) and the backward nodes generated from the loss.
/// </summary>
public sealed class Graph
{
    private readonly List<Tensor> _tensors = new();
    private readonly Dictionary<string, Tensor> _byName = new(StringComparer.Ordinal);
    private readonly List<Node> _nodes = new();
    private List<BackwardNode> _backward = new();

    public IReadOnlyList<Tensor> Tensors => _tensors;
    public IReadOnlyList<Node> Nodes => _nodes;
    public IReadOnlyList<BackwardNode> Backward => _backward;

    /// <summary>The scalar loss that training minimises, once <see cref="SetLoss"/> was called.</summary>
    public Tensor? Loss { get; private set; }

    public IEnumerable<Tensor> Parameters => _tensors.Where(t => t.IsSaved);
    public IEnumerable<Tensor> TrainableParameters => _tensors.Where(t => t.IsTrainable);
    public IEnumerable<Tensor> DataTensors => _tensors.Where(t => t.Role == TensorRole.Data);

    public Tensor this[string name] => TryGet(name) ?? throw new ClNetException("TensorNotFound", ClNetErrorKind.ObjectNotFound,
        $"The graph has no tensor named '{name}'.", name);

    public Tensor? TryGet(string name) => _byName.TryGetValue(name, out var t) ? t : null;

    public Tensor Data(string name, params int[] shape) => Add(new Tensor(name, new Shape(shape), TensorRole.Data));
    public Tensor Weight(string name, Initializer init, params int[] shape) => Add(new Tensor(name, new Shape(shape), TensorRole.Weight, init));
    public Tensor Bias(string name, Initializer init, params int[] shape) => Add(new Tensor(name, new Shape(shape), TensorRole.Bias, init));
    public Tensor Parameter(string name, Initializer init, params int[] shape) => Add(new Tensor(name, new Shape(shape), TensorRole.Parameter, init));

    /// <summary>Adds a node whose output is a new tensor; ops call this from their graph-building methods.</summary>
    public Tensor AddNode(Op op, string alias, string outputName, Shape outputShape, params Tensor[] inputs)
    {
        foreach (var input in inputs)
            if (!_byName.TryGetValue(input.Name, out var known) || !ReferenceEquals(known, input))
                throw new ClNetException("TensorNotInGraph", ClNetErrorKind.InvalidArgument, $"Tensor '{input.Name}' does not belong to this graph.", input.Name);
        var output = Add(new Tensor(outputName, outputShape, TensorRole.Output));
        var node = new Node(op, alias, output, inputs);
        output.Producer = node;
        foreach (var input in inputs) input.AddConsumer(node);
        _nodes.Add(node);
        return output;
    }

    /// <summary>Marks the loss and generates the backward nodes and gradient tensors from it.</summary>
    public void SetLoss(Tensor loss, params Tensor[] alsoDifferentiate)
    {
        if (loss.Producer is not { Op.IsLoss: true })
            throw new ClNetException("NotALoss", ClNetErrorKind.InvalidArgument, $"Tensor '{loss.Name}' is not the output of a loss.", loss.Name);
        if (_backward.Count > 0) throw new InvalidOperationException("The backward pass was generated already.");
        Loss = loss;
        _backward = Autodiff.Generate(_nodes, loss, CreateGradient, alsoDifferentiate);
    }

    /// <summary>
    /// Generates the backward pass from any tensor whose gradient the caller writes (the gradient
    /// checks do this), optionally also differentiating with respect to some data tensors.
    /// </summary>
    public Tensor Differentiate(Tensor root, params Tensor[] alsoDifferentiate)
    {
        if (_backward.Count > 0) throw new InvalidOperationException("The backward pass was generated already.");
        root.Gradient = CreateGradient(root);
        _backward = Autodiff.Generate(_nodes, root, CreateGradient, alsoDifferentiate);
        return root.Gradient;
    }

    private Tensor CreateGradient(Tensor of) =>
        Add(new Tensor($"gradient({of.Name})", of.Shape, TensorRole.Gradient) { GradientOf = of });

    private Tensor Add(Tensor tensor)
    {
        if (!_byName.TryAdd(tensor.Name, tensor))
            throw new ClNetException("DuplicateTensorName", ClNetErrorKind.InvalidArgument, $"The graph already has a tensor named '{tensor.Name}'.", tensor.Name);
        _tensors.Add(tensor);
        return tensor;
    }

    /// <summary>Raises the shape error every op uses: it names both tensors and both shapes.</summary>
    public static ClNetException ShapeMismatch(string op, Tensor a, Tensor b, string rule) =>
        new("ShapeMismatch", ClNetErrorKind.InvalidArgument,
            $"{op}: shapes of '{a.Name}'{a.Shape} and '{b.Name}'{b.Shape} do not fit: {rule}.", a.Name);
}
