using System.Security.Cryptography;
using System.Text;

namespace ClNet.Engine;

/// <summary>
/// ClNet's parameter file: the model's name, options and seed, then every saved tensor (name, role,
/// shape, float32 values), all little-endian, closed by a SHA-256 of everything before it. Writing
/// goes to a temporary file that is renamed over the target, so a crash never leaves half a file;
/// reading checks the header, every size and the checksum before anything is handed out.
/// </summary>
public static class ParameterFile
{
    private static readonly byte[] Magic = "CLNETPAR"u8.ToArray();
    private const int Version = 1;
    private const int HashBytes = 32;

    public sealed record Contents(string ModelName, ModelOptions Options, int Seed, IReadOnlyDictionary<string, float[]> Values, IReadOnlyDictionary<string, Shape> Shapes);

    public static void Save(Model model, string path)
    {
        if (model.Training is { } session)
        {
            // a running or paused training: take the device's values as of now, not of the last epoch's end
            try { session.SyncParameters(); }
            catch (ClNetException e) when (e.ErrorId == "TrainingNotRunning") { }   // it ended meanwhile and wrote them back itself
        }
        var values = model.Parameters.Snapshot();
        using var memory = new MemoryStream();
        using (var w = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(model.Name);
            w.Write(model.Seed);
            w.Write(model.Options.Values.Count);
            foreach (var (key, value) in model.Options.Values) { w.Write(key); w.Write(value); }
            w.Write(model.Parameters.Entries.Count);
            foreach (var (name, shape, role) in model.Parameters.Entries)
            {
                w.Write(name);
                w.Write((int)role);
                w.Write(shape.Rank);
                foreach (int d in shape.Dimensions) w.Write(d);
                foreach (float v in values[name]) w.Write(v);
            }
        }
        memory.Write(SHA256.HashData(memory.GetBuffer().AsSpan(0, (int)memory.Length)));

        AtomicFile.Write(path, temporary =>
        {
            using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write);
            memory.Position = 0;
            memory.CopyTo(file);
            file.Flush(flushToDisk: true);
        });
    }

    public static Contents Read(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new ClNetException("ParameterFileNotFound", ClNetErrorKind.ObjectNotFound, $"The parameter file '{full}' does not exist.", full);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(full); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ClNetException("ParameterFileUnreadable", ClNetErrorKind.InvalidData, $"The parameter file '{full}' cannot be read: {e.Message}", full, e);
        }

        ClNetException Bad(string why) => new("InvalidParameterFile", ClNetErrorKind.InvalidData, $"'{full}' is not a valid ClNet parameter file: {why}.", full);

        if (bytes.Length < Magic.Length + HashBytes || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw Bad("it does not start with the CLNETPAR header");
        var body = bytes.AsSpan(0, bytes.Length - HashBytes);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashBytes)))
            throw Bad("its checksum does not match (the file is truncated or damaged)");

        try
        {
            using var r = new BinaryReader(new MemoryStream(bytes, 0, body.Length), Encoding.UTF8);
            r.ReadBytes(Magic.Length);
            int version = r.ReadInt32();
            if (version != Version) throw Bad($"its format version is {version}; this ClNet reads version {Version}");
            string model = r.ReadString();
            int seed = r.ReadInt32();
            int optionCount = r.ReadInt32();
            if (optionCount is < 0 or > 1000) throw Bad("its option count is out of range");
            var options = new List<KeyValuePair<string, object?>>();
            for (int i = 0; i < optionCount; i++) options.Add(new(r.ReadString(), r.ReadString()));
            int count = r.ReadInt32();
            if (count is < 0 or > 100_000) throw Bad("its tensor count is out of range");
            var values = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var shapes = new Dictionary<string, Shape>(StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                string name = r.ReadString();
                r.ReadInt32();   // role: informational; the model decides
                int rank = r.ReadInt32();
                if (rank is < 1 or > 8) throw Bad($"tensor '{name}' has rank {rank}");
                var dims = new int[rank];
                for (int d = 0; d < rank; d++) dims[d] = r.ReadInt32();
                if (dims.Any(d => d <= 0)) throw Bad($"tensor '{name}' has a non-positive dimension");
                var shape = new Shape(dims);
                if ((long)shape.Volume * sizeof(float) > r.BaseStream.Length - r.BaseStream.Position) throw Bad($"tensor '{name}' is cut short");
                var v = new float[shape.Volume];
                for (int e = 0; e < v.Length; e++) v[e] = r.ReadSingle();
                values[name] = v;
                shapes[name] = shape;
            }
            if (r.BaseStream.Position != r.BaseStream.Length) throw Bad("it has bytes after the last tensor");
            return new Contents(model, new ModelOptions(options), seed, values, shapes);
        }
        catch (EndOfStreamException)
        {
            throw Bad("it ends in the middle of a record");
        }
    }

    /// <summary>Loads a file into an existing model: every parameter must be present with its shape; on any mismatch nothing changes.</summary>
    public static void Load(Model model, string path) => Load(model, Read(path), Path.GetFullPath(path));

    private static void Load(Model model, Contents contents, string full)
    {
        foreach (var (name, shape, _) in model.Parameters.Entries)
        {
            if (!contents.Shapes.TryGetValue(name, out var fileShape))
                throw new ClNetException("ParameterMissing", ClNetErrorKind.InvalidData,
                    $"'{full}' has no values for parameter '{name}'{shape} of model {model.Name} (the file holds a {contents.ModelName} model).", name);
            if (fileShape != shape)
                throw new ClNetException("ParameterShapeMismatch", ClNetErrorKind.InvalidData,
                    $"Parameter '{name}' is {fileShape} in '{full}' but {shape} in model {model.Name}.", name);
        }
        var values = contents.Values.Where(kv => model.Parameters.Entries.Any(e => e.Name == kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
        if (model.Training is { } session)
        {
            try
            {
                session.ReplaceParameters(values, full);   // at a step boundary, on the device too
                return;
            }
            catch (ClNetException e) when (e.ErrorId == "TrainingNotRunning") { }   // it ended meanwhile
        }
        model.Parameters.Replace(values, full);
    }

    /// <summary>Creates the model the file describes and loads its parameters.</summary>
    public static Model Import(string path)
    {
        var contents = Read(path);
        var model = ModelCatalog.Create(contents.ModelName, contents.Options, contents.Seed);
        Load(model, contents, Path.GetFullPath(path));
        return model;
    }
}
