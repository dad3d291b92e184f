namespace ClNet.Engine;

/// <summary>
/// A graph built for one batch size, and the tensors the trainer needs: the input and target that
/// data is loaded into, the output (logits or prediction), the correct-count metric of a classifier,
/// and for sequence models the per-sequence lengths and the steps per sequence.
/// </summary>
public sealed record ModelGraph(Graph Graph, Tensor Input, Tensor Target, Tensor Output, Tensor? Correct = null, Tensor? Lengths = null)
{
    /// <summary>Characters per sample of a character model (its sequence length); 0 for other models.</summary>
    public int CharactersPerSample => Lengths is null ? 0 : Input.Shape[1];
}

/// <summary>What a model trains with unless the user says otherwise.</summary>
public sealed record TrainingDefaults(int Epochs, int BatchSize, double LearningRate, double Momentum, double WeightDecay,
    string Optimizer = "SGD", double ClipNorm = 0);

/// <summary>One kind of model: how to build its graph, its defaults, and where its data comes from.</summary>
public sealed record ModelDefinition(
    string Name,
    string Description,
    IReadOnlyList<string> OptionNames,
    TrainingDefaults Defaults,
    Func<int, ModelOptions, ModelGraph> Build,
    Func<ModelOptions, IDataSource>? GeneratedData = null,
    Func<string, ModelOptions, IDataSource>? LoadData = null,
    ImageFormat? ImageInput = null,
    Func<ModelOptions, string?, ModelOptions>? CompleteOptions = null);

/// <summary>
/// A model: a named architecture, its options, its parameters (the host copy that training starts
/// from and writes back to) and, once loaded, its data. It owns no device resources, so any number
/// of models can live in one process; a model trains in one session at a time.
/// </summary>
public sealed class Model
{
    private Session? _training;

    public ModelDefinition Definition { get; }
    public string Name => Definition.Name;
    public ModelOptions Options { get; }
    public int Seed { get; }
    public TrainingDefaults Defaults => Definition.Defaults;
    public ParameterSet Parameters { get; }

    /// <summary>The training and test data; null until loaded (a model can predict without it).</summary>
    public IDataSource? Data { get; private set; }

    /// <summary>The graph at the default batch size: what the user inspects.</summary>
    public Graph Graph { get; }

    public IReadOnlyList<Tensor> Tensors => Graph.Tensors;
    public long ParameterCount => Parameters.Count;
    public long TrainableParameterCount => Parameters.TrainableCount;

    /// <summary>The session training this model now, if any.</summary>
    public Session? Training => Volatile.Read(ref _training);

    internal Model(ModelDefinition definition, ModelOptions options, int seed)
    {
        options.CheckNames(definition.Name, definition.OptionNames);
        Definition = definition;
        Options = options;
        Seed = seed;
        Graph = definition.Build(definition.Defaults.BatchSize, options).Graph;
        Parameters = ParameterSet.Initialize(Graph, seed);
        Data = definition.GeneratedData?.Invoke(options);
    }

    public ModelGraph BuildGraph(int batchSize) => Definition.Build(batchSize, Options);

    /// <summary>The graph with some options changed (a generator reads one character at a time: SequenceLength 1).</summary>
    public ModelGraph BuildGraph(int batchSize, IReadOnlyDictionary<string, object?> overrides)
    {
        var values = Options.Values.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in overrides) values[key] = value;
        return Definition.Build(batchSize, new ModelOptions(values));
    }

    /// <summary>Reads and checks the model's data files now, so that a bad file fails before any training.</summary>
    public void LoadData(string path)
    {
        if (Definition.LoadData is null)
            throw new ClNetException("ModelHasNoDataFiles", ClNetErrorKind.InvalidArgument, $"Model {Name} generates its own data; it takes no data path.", Name);
        Data = Definition.LoadData(path, Options);
    }

    internal void BeginTraining(Session session)
    {
        if (Data is null)
            throw new ClNetException("NoTrainingData", ClNetErrorKind.InvalidOperation,
                $"Model {Name} has no data to train on: give its data folder (New-ClNetModel {Name} -DataPath <folder>).", Name);
        if (Interlocked.CompareExchange(ref _training, session, null) is not null)
            throw new ClNetException("ModelBusy", ClNetErrorKind.InvalidOperation,
                $"Model {Name} is already being trained; stop that training first, or create another model.", Name);
    }

    internal void EndTraining(Session session) => Interlocked.CompareExchange(ref _training, null, session);

    public override string ToString() => $"{Name} ({ParameterCount:N0} parameters)";
}
