namespace ClNet.Engine;

/// <summary>A graph built for one batch size, with the data source that feeds it.</summary>
public sealed record ModelGraph(Graph Graph, IDataSource Data);

/// <summary>What a model trains with unless the user says otherwise.</summary>
public sealed record TrainingDefaults(int Epochs, int BatchSize, double LearningRate, double Momentum, double WeightDecay);

/// <summary>
/// A model: a named architecture, its options, and its parameters (the host copy that training
/// starts from and writes back to). It owns no device resources, so any number of models can live
/// in one process; a model trains in one session at a time.
/// </summary>
public sealed class Model
{
    private readonly Func<int, ModelOptions, ModelGraph> _build;
    private Session? _training;

    public string Name { get; }
    public ModelOptions Options { get; }
    public int Seed { get; }
    public TrainingDefaults Defaults { get; }
    public ParameterSet Parameters { get; }

    /// <summary>The graph at the default batch size: what the user inspects.</summary>
    public Graph Graph { get; }

    public IReadOnlyList<Tensor> Tensors => Graph.Tensors;
    public long ParameterCount => Parameters.Count;
    public long TrainableParameterCount => Parameters.TrainableCount;

    /// <summary>The session training this model now, if any.</summary>
    public Session? Training => Volatile.Read(ref _training);

    internal Model(string name, ModelOptions options, int seed, TrainingDefaults defaults, Func<int, ModelOptions, ModelGraph> build)
    {
        Name = name;
        Options = options;
        Seed = seed;
        Defaults = defaults;
        _build = build;
        Graph = build(defaults.BatchSize, options).Graph;
        Parameters = ParameterSet.Initialize(Graph, seed);
    }

    public ModelGraph BuildGraph(int batchSize) => _build(batchSize, Options);

    internal void BeginTraining(Session session)
    {
        if (Interlocked.CompareExchange(ref _training, session, null) is not null)
            throw new ClNetException("ModelBusy", ClNetErrorKind.InvalidOperation,
                $"Model {Name} is already being trained; stop that training first, or create another model.", Name);
    }

    internal void EndTraining(Session session) => Interlocked.CompareExchange(ref _training, null, session);

    public override string ToString() => $"{Name} ({ParameterCount:N0} parameters)";
}
