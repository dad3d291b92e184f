namespace ClNet.Engine;

/// <summary>
/// Generates text with a character model: the prefix is fed one character at a time, then each
/// next character is drawn from the softmax of the logits divided by the temperature (the most
/// likely one when the temperature is 0) and fed back. The LSTM carries its state from one
/// character to the next, so a character costs one step, not a pass over everything so far.
/// </summary>
public sealed class TextGenerator : IDisposable
{
    private readonly DeviceContext _device;
    private readonly ModelGraph _graph;
    private readonly Replica _replica;
    private readonly LstmOp _lstm;

    public CharacterIndex Index { get; }

    public TextGenerator(Model model, int device = 0, CharacterIndex? index = null, KernelCache? cache = null)
    {
        if (model.Definition != CharRnn.Definition)
            throw new ClNetException("ModelGeneratesNoText", ClNetErrorKind.InvalidArgument, $"Model {model.Name} does not generate text; a CharRNN does.", model.Name);
        Index = CharRnn.Alphabet(model.Options);
        if (index is not null && !index.Characters.SequenceEqual(Index.Characters))
            throw new ClNetException("IndexMismatch", ClNetErrorKind.InvalidData,
                $"The given character index ({index.Count} characters) is not the alphabet the model was trained with ({Index.Count} characters).", index.Count);
        var info = DeviceCatalog.Get(device);
        _device = new DeviceContext(info, cache);
        try
        {
            _graph = model.BuildGraph(1, new Dictionary<string, object?> { ["SequenceLength"] = 1 });
            _replica = new Replica(_graph.Graph, _device) { IsTraining = false };
            _replica.Upload(model.Parameters);
            _replica.Write(_graph.Lengths!, new[] { 1f });
            _lstm = (LstmOp)_graph.Graph.Nodes.Single(n => n.Op is LstmOp).Op;
        }
        catch
        {
            _device.Dispose();
            throw;
        }
    }

    public string Generate(string prefix, int length, double temperature, int seed)
    {
        if (string.IsNullOrEmpty(prefix))
            throw new ClNetException("EmptyPrefix", ClNetErrorKind.InvalidArgument, "Generation needs a prefix of at least one character.", prefix);
        if (length < 0 || temperature < 0 || !double.IsFinite(temperature))
            throw new ClNetException("InvalidGenerationSetting", ClNetErrorKind.InvalidArgument, $"The length ({length}) and temperature ({temperature}) must not be negative.", length);
        var codes = Index.Encode(prefix, "The prefix");
        var random = new Random(seed);
        var text = new System.Text.StringBuilder(prefix);
        _lstm.CarryState = false;   // the first character starts from a zero state
        float[] logits = Array.Empty<float>();
        foreach (int code in codes)
        {
            logits = Step(code);
            _lstm.CarryState = true;
        }
        for (int i = 0; i < length; i++)
        {
            int next = Sample(logits, temperature, random);
            text.Append(Index.Decode(next));
            if (i + 1 < length) logits = Step(next);
        }
        return text.ToString();
    }

    private float[] Step(int code)
    {
        _replica.Write(_graph.Input, new[] { (float)code });
        _replica.Forward(until: _graph.Output);
        return _replica.Read(_graph.Output);
    }

    private static int Sample(float[] logits, double temperature, Random random)
    {
        if (temperature == 0) return Array.IndexOf(logits, logits.Max());
        double max = logits.Max();
        var p = logits.Select(v => Math.Exp((v - max) / temperature)).ToArray();
        double u = random.NextDouble() * p.Sum();
        for (int i = 0; i < p.Length; i++)
            if ((u -= p[i]) <= 0) return i;
        return p.Length - 1;
    }

    public void Dispose()
    {
        _replica.Dispose();
        _device.Dispose();
    }
}
