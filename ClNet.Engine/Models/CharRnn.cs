namespace ClNet.Engine;

/// <summary>
/// clnet's charRNN: data[batch, steps] → Embedding(data) with embedding_matrix[V, E] → a stack of
/// LSTM layers (lstm_weight_x0[E,4H], lstm_weight_h0[H,4H], lstm_bias0[4H], …) with dropout →
/// FC = class_weight*lstm + class_bias → softmax with negative log-likelihood at every step.
/// The alphabet (V) comes from the corpus, or from a given index file, and travels in the options
/// (Alphabet), so that a saved model samples with the characters it was trained on.
/// Options: Layers (3), Hidden (256), Embedding (256), SequenceLength (129), Dropout (0), IndexPath, Alphabet.
/// </summary>
public static class CharRnn
{
    public static readonly ModelDefinition Definition = new(
        "CharRNN",
        "clnet's character-level LSTM: embedding, 3 LSTM layers of 256 on a dynamic graph, softmax over the alphabet; a UTF-8 corpus (-CorpusPath)",
        new[] { "Layers", "Hidden", "Embedding", "SequenceLength", "Dropout", "IndexPath", "Alphabet" },
        new TrainingDefaults(Epochs: 1, BatchSize: 32, LearningRate: 0.002, Momentum: 0, WeightDecay: 0, Optimizer: "Adam", ClipNorm: 5),
        Build,
        LoadData: (path, options) => TextCorpus.Load(path, Alphabet(options), options.Int("SequenceLength", 129)),
        CompleteOptions: Complete);

    public static CharacterIndex Alphabet(ModelOptions options) =>
        CharacterIndex.FromJson(options.Text("Alphabet") ?? throw new ClNetException("NoAlphabet", ClNetErrorKind.InvalidArgument,
            "A CharRNN needs its alphabet: give -CorpusPath (the index is built from it) or -IndexPath.", "Alphabet"), "the model's alphabet");

    /// <summary>
    /// The alphabet: from the options, else from the index file when it exists, else built from the
    /// corpus and saved (to IndexPath, or to the corpus's name with .index.json).
    /// </summary>
    private static ModelOptions Complete(ModelOptions options, string? corpusPath)
    {
        if (options.Text("Alphabet") is not null) return options;
        string? indexPath = options.Text("IndexPath") is { } given ? Path.GetFullPath(given) : null;
        CharacterIndex index;
        if (indexPath is not null && File.Exists(indexPath)) index = CharacterIndex.Load(indexPath);
        else if (corpusPath is not null)
        {
            index = CharacterIndex.Build(TextCorpus.ReadText(corpusPath));
            indexPath ??= Path.GetFullPath(corpusPath) + ".index.json";
            index.Save(indexPath);
        }
        else throw new ClNetException("NoAlphabet", ClNetErrorKind.InvalidArgument,
            indexPath is null ? "A CharRNN needs its alphabet: give -CorpusPath (the index is built from it) or -IndexPath."
                              : $"The character index '{indexPath}' does not exist and there is no corpus to build it from (-CorpusPath).", indexPath);
        var values = options.Values.ToDictionary(kv => kv.Key, kv => (object?)kv.Value);
        values["IndexPath"] = indexPath;
        values["Alphabet"] = index.ToJson();
        return new ModelOptions(values);
    }

    private static ModelGraph Build(int batch, ModelOptions options)
    {
        int vocabulary = Alphabet(options).Count;
        int layers = options.Int("Layers", 3), hidden = options.Int("Hidden", 256), width = options.Int("Embedding", 256);
        int steps = options.Int("SequenceLength", 129);
        float dropout = (float)options.Double("Dropout", 0, 0, 0.95);
        var g = new Graph();
        var data = g.Data("data", batch, steps);
        var length = g.Data("length", batch);
        var embedding = g.Embedding("embedding", data, g.Weight("embedding_matrix", new GaussianInitializer(0, 1), vocabulary, width));
        var lstm = g.Lstm("lstm", embedding, length, layers, hidden, dropout);
        var logits = g.FullyConnected("FC", lstm, g.Weight("class_weight", new GaussianInitializer(0, 1 / Math.Sqrt(hidden)), hidden, vocabulary),
            g.Bias("class_bias", new ConstantInitializer(0), vocabulary));
        var label = g.Data("label", batch, steps);
        g.SetLoss(g.SoftmaxNllLoss(logits, label));
        return new ModelGraph(g, data, label, logits, Lengths: length);
    }
}
