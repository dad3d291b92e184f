namespace ClNet.Engine;

/// <summary>One classified picture: the class with the highest probability, and all of them.</summary>
public sealed record Prediction(string Path, int Class, double Probability, double[] Probabilities);

/// <summary>
/// Classifies pictures with a model's current parameters on one device, in inference mode (moving
/// batch statistics). Pictures must have the model's input size; gray pictures feed colour models
/// by repeating the channel and colour pictures feed gray models through their luminance.
/// </summary>
public sealed class Predictor : IDisposable
{
    public const int BatchSize = 64;

    private readonly Model _model;
    private readonly ImageFormat _format;
    private readonly DeviceContext _device;
    private readonly ModelGraph _graph;
    private readonly Replica _replica;

    public Predictor(Model model, int device = 0, KernelCache? cache = null)
    {
        _format = model.Definition.ImageInput ?? throw new ClNetException("ModelTakesNoImages", ClNetErrorKind.InvalidArgument,
            $"Model {model.Name} does not classify images.", model.Name);
        _model = model;
        var info = DeviceCatalog.Get(device);
        _device = new DeviceContext(info, cache);
        try
        {
            _graph = model.BuildGraph(BatchSize);
            _replica = new Replica(_graph.Graph, _device) { IsTraining = false };
            _replica.Upload(model.Parameters);
        }
        catch
        {
            _device.Dispose();
            throw;
        }
    }

    /// <summary>The network input for one picture, or an error naming the file when its size is wrong.</summary>
    public float[] Prepare(Picture picture, string path)
    {
        if (picture.Width != _format.Width || picture.Height != _format.Height)
            throw new ClNetException("ImageSizeMismatch", ClNetErrorKind.InvalidData,
                $"The image '{path}' is {picture.Width}x{picture.Height}; model {_model.Name} takes {_format.Width}x{_format.Height} pictures.", path);
        int pixels = picture.Width * picture.Height, c = _format.Channels;
        var input = new float[pixels * c];
        for (int p = 0; p < pixels; p++)
        {
            if (c == 1 && picture.Channels == 3)
            {
                var rgb = picture.Pixels.AsSpan(p * 3, 3);
                input[p] = _format.Normalize((byte)Math.Round(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]), 0);
            }
            else
            {
                for (int ch = 0; ch < c; ch++) input[p * c + ch] = _format.Normalize(picture.Pixels[p * picture.Channels + Math.Min(ch, picture.Channels - 1)], ch);
            }
        }
        return input;
    }

    /// <summary>Classifies prepared inputs, in batches of <see cref="BatchSize"/>.</summary>
    public IReadOnlyList<Prediction> Predict(IReadOnlyList<(string Path, float[] Input)> items)
    {
        var results = new List<Prediction>();
        int size = _graph.Input.Volume / BatchSize, classes = _graph.Output.Shape.Columns;
        for (int start = 0; start < items.Count; start += BatchSize)
        {
            var batch = new float[_graph.Input.Volume];
            int count = Math.Min(BatchSize, items.Count - start);
            for (int i = 0; i < count; i++) items[start + i].Input.CopyTo(batch, i * size);
            _replica.Write(_graph.Input, batch);
            _replica.Forward(until: _graph.Output);
            var logits = _replica.Read(_graph.Output);
            for (int i = 0; i < count; i++)
            {
                var p = Softmax(logits.AsSpan(i * classes, classes));
                int best = Array.IndexOf(p, p.Max());
                results.Add(new Prediction(items[start + i].Path, best, p[best], p));
            }
        }
        return results;
    }

    private static double[] Softmax(ReadOnlySpan<float> logits)
    {
        double max = double.NegativeInfinity;
        foreach (float v in logits) max = Math.Max(max, v);
        var p = new double[logits.Length];
        double sum = 0;
        for (int i = 0; i < p.Length; i++) sum += p[i] = Math.Exp(logits[i] - max);
        for (int i = 0; i < p.Length; i++) p[i] /= sum;
        return p;
    }

    public void Dispose()
    {
        _replica.Dispose();
        _device.Dispose();
    }
}
