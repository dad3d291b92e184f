namespace ClNet.Engine;

/// <summary>
/// The host copy of a model's saved tensors (weights, biases, untrained parameters): the values a
/// model keeps between trainings, that parameter files hold and that a training starts from.
/// Thread-safe: a training writes it while PowerShell may read or save it.
/// </summary>
public sealed class ParameterSet
{
    private readonly object _lock = new();
    private readonly Dictionary<string, float[]> _values;

    public IReadOnlyList<(string Name, Shape Shape, TensorRole Role)> Entries { get; }

    private ParameterSet(IReadOnlyList<(string, Shape, TensorRole)> entries, Dictionary<string, float[]> values)
    {
        Entries = entries;
        _values = values;
    }

    /// <summary>Fills every saved tensor of the graph with its initializer, in graph order, from one seeded generator.</summary>
    public static ParameterSet Initialize(Graph graph, int seed)
    {
        var random = new Random(seed);
        var entries = new List<(string, Shape, TensorRole)>();
        var values = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var t in graph.Parameters)
        {
            var v = new float[t.Volume];
            (t.Initializer ?? new ConstantInitializer(0f)).Fill(v, random);
            entries.Add((t.Name, t.Shape, t.Role));
            values[t.Name] = v;
        }
        return new ParameterSet(entries, values);
    }

    public long Count => Entries.Sum(e => (long)e.Shape.Volume);
    public long TrainableCount => Entries.Where(e => e.Role is TensorRole.Weight or TensorRole.Bias).Sum(e => (long)e.Shape.Volume);

    /// <summary>A copy of one tensor's values.</summary>
    public float[] Values(string name)
    {
        lock (_lock)
        {
            if (!_values.TryGetValue(name, out var v))
                throw new ClNetException("TensorNotFound", ClNetErrorKind.ObjectNotFound, $"The model has no parameter named '{name}'.", name);
            return (float[])v.Clone();
        }
    }

    /// <summary>A consistent copy of all values, taken under one lock.</summary>
    public Dictionary<string, float[]> Snapshot()
    {
        lock (_lock) return _values.ToDictionary(kv => kv.Key, kv => (float[])kv.Value.Clone(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Replaces values after checking all of them: every name known and every length right.
    /// On any mismatch nothing changes.
    /// </summary>
    public void Replace(IReadOnlyDictionary<string, float[]> values, string? source = null)
    {
        string from = source is null ? "" : $" in '{source}'";
        foreach (var (name, v) in values)
        {
            var entry = Entries.FirstOrDefault(e => e.Name == name);
            if (entry.Name is null)
                throw new ClNetException("UnknownParameter", ClNetErrorKind.InvalidData, $"Parameter '{name}'{from} is not a parameter of this model.", name);
            if (v.Length != entry.Shape.Volume)
                throw new ClNetException("ParameterShapeMismatch", ClNetErrorKind.InvalidData,
                    $"Parameter '{name}'{from} has {v.Length} values; the model's '{name}'{entry.Shape} needs {entry.Shape.Volume}.", name);
        }
        lock (_lock)
            foreach (var (name, v) in values) _values[name] = (float[])v.Clone();
    }
}
