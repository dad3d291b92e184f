using System.Text;

namespace ClNet.Engine;

/// <summary>
/// A UTF-8 text encoded with a character index, cut into sequences of L characters that predict the
/// character after each of theirs (the last sequence may be shorter). On a device the encoded text
/// is kept whole; a batch is one gather kernel over the epoch's seeded shuffle of the sequences. The
/// last batch of an epoch holds the sequences that are left, the rest of its rows empty (length 0):
/// nothing is dropped.
/// </summary>
public sealed class TextCorpus : IDataSource
{
    public string Path { get; }
    public CharacterIndex Index { get; }
    public int[] Codes { get; }
    public int SequenceLength { get; }

    /// <summary>Sequences in the corpus: ceil((characters - 1) / L).</summary>
    public int Sequences => (Codes.Length - 1 + SequenceLength - 1) / SequenceLength;

    private TextCorpus(string path, CharacterIndex index, int[] codes, int sequenceLength) =>
        (Path, Index, Codes, SequenceLength) = (path, index, codes, sequenceLength);

    public string Description => $"{Codes.Length:N0} characters ({Index.Count} distinct) in {Sequences:N0} sequences of {SequenceLength} from {Path}";

    public static string ReadText(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new ClNetException("CorpusNotFound", ClNetErrorKind.ObjectNotFound, $"The corpus '{full}' does not exist.", full);
        string text;
        try { text = File.ReadAllText(full, new UTF8Encoding(false, throwOnInvalidBytes: true)); }
        catch (DecoderFallbackException e)
        {
            throw new ClNetException("InvalidCorpus", ClNetErrorKind.InvalidData, $"The corpus '{full}' is not UTF-8 text: {e.Message}", full, e);
        }
        if (text.EnumerateRunes().Take(2).Count() < 2)
            throw new ClNetException("EmptyCorpus", ClNetErrorKind.InvalidData, $"The corpus '{full}' holds fewer than two characters: there is nothing to learn.", full);
        return text;
    }

    public static TextCorpus Load(string path, CharacterIndex index, int sequenceLength)
    {
        string full = System.IO.Path.GetFullPath(path);
        return new TextCorpus(full, index, index.Encode(ReadText(full), $"The corpus '{full}'"), sequenceLength);
    }

    public IDataFeed Attach(Replica replica, ModelGraph model, int seed, Shard shard)
    {
        if (model.Lengths is null || model.Input.Shape.Rank != 2 || model.Target.Shape != model.Input.Shape)
            throw new ClNetException("ShapeMismatch", ClNetErrorKind.InvalidArgument,
                $"A text corpus feeds a character model: input and target [batch, steps] and a length per sequence, not '{model.Input.Name}'{model.Input.Shape}.", model.Input.Name);
        if (model.Input.Shape[1] < SequenceLength)
            throw new ClNetException("ShapeMismatch", ClNetErrorKind.InvalidArgument,
                $"The model reads {model.Input.Shape[1]} steps; the corpus was cut into sequences of {SequenceLength}.", model.Input.Name);
        return new Feed(this, replica, model, seed, shard);
    }

    private sealed class Feed : IDataFeed
    {
        private readonly TextCorpus _corpus;
        private readonly Replica _replica;
        private readonly ModelGraph _model;
        private readonly int _seed, _batch, _global, _offset;
        private readonly DeviceBuffer _codes, _order;
        private int[] _hostOrder = Array.Empty<int>();
        private int _orderedEpoch = -1;

        public int StepsPerEpoch { get; }
        public int TestSteps => 0;

        public Feed(TextCorpus corpus, Replica replica, ModelGraph model, int seed, Shard shard)
        {
            (_corpus, _replica, _model, _seed, _batch) = (corpus, replica, model, seed, model.Input.Shape[0]);
            (_global, _offset) = (shard.GlobalBatch, shard.Offset);
            StepsPerEpoch = (corpus.Sequences + _global - 1) / _global;
            _codes = replica.Device.Allocate(corpus.Codes.Length, "corpus");
            replica.Device.Write<float>(_codes, corpus.Codes.Select(c => (float)c).ToArray());
            _order = replica.Device.Allocate(corpus.Sequences, "sequence_order");
        }

        public void LoadTrain(int epoch, int step)
        {
            if (epoch != _orderedEpoch)
            {
                _hostOrder = Enumerable.Range(0, _corpus.Sequences).ToArray();
                new Random(unchecked(_seed * 1_000_003 + epoch)).Shuffle(_hostOrder);
                _replica.Device.Write<int>(_order, _hostOrder);
                _orderedEpoch = epoch;
            }
            int first = step * _global + _offset, L = _corpus.SequenceLength, n = _corpus.Codes.Length;
            // the recurrent loop runs as far as the batch's longest sequence (none when the sequences ran out)
            _replica.SequenceSteps = Enumerable.Range(first, Math.Max(0, Math.Min(_batch, _corpus.Sequences - first)))
                .Select(k => Math.Min(L, n - 1 - _hostOrder[k] * L)).DefaultIfEmpty(0).Max();
            int steps = _model.Input.Shape[1];
            var kernel = _replica.Kernel("gather_sequences").Set(0, _batch).Set(1, steps).Set(2, _corpus.Sequences).Set(3, n).Set(4, L)
                .Set(5, _order).Set(6, first).Set(7, _codes)
                .Set(8, _replica[_model.Input]).Set(9, _replica[_model.Target]).Set(10, _replica[_model.Lengths!]);
            _replica.Device.Launch(kernel, steps, _batch, 64, 1);
        }

        public void LoadTest(int step) => throw new InvalidOperationException("A text corpus has no test set.");

        public void Dispose()
        {
            _codes.Dispose();
            _order.Dispose();
            _replica.SequenceSteps = null;
        }
    }
}
