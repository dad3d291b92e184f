namespace ClNet.Engine;

/// <summary>
/// A named tensor of a graph: a description only (name, shape, role). Its values live in a
/// replica's device buffer during training and in the model's parameter store otherwise.
/// </summary>
public sealed class Tensor
{
    private readonly List<Node> _consumers = new();

    public string Name { get; }
    public Shape Shape { get; }
    public TensorRole Role { get; }

    /// <summary>The initializer of a weight, bias or parameter; null for everything else.</summary>
    public Initializer? Initializer { get; }

    /// <summary>The node that computes this tensor; null for data and parameters.</summary>
    public Node? Producer { get; internal set; }

    /// <summary>gradient(name), once the backward pass is generated and this tensor needs one.</summary>
    public Tensor? Gradient { get; internal set; }

    /// <summary>For a gradient tensor: the tensor it is the gradient of.</summary>
    public Tensor? GradientOf { get; internal init; }

    public IReadOnlyList<Node> Consumers => _consumers;

    internal Tensor(string name, Shape shape, TensorRole role, Initializer? initializer = null)
    {
        Name = name;
        Shape = shape;
        Role = role;
        Initializer = initializer;
    }

    public bool IsTrainable => Role is TensorRole.Weight or TensorRole.Bias;

    /// <summary>Saved in parameter files: everything trained, and the untrained parameters.</summary>
    public bool IsSaved => IsTrainable || Role == TensorRole.Parameter;

    public int Volume => Shape.Volume;
    public long Bytes => (long)Shape.Volume * sizeof(float);

    internal void AddConsumer(Node node) => _consumers.Add(node);

    public override string ToString() => Name + Shape;
}
