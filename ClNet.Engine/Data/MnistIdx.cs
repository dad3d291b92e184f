using System.Buffers.Binary;
using System.IO.Compression;

namespace ClNet.Engine;

/// <summary>
/// Reads MNIST-format IDX files (MNIST, Fashion-MNIST): train and t10k images and labels, raw or
/// gzip-compressed, named in either style (train-images-idx3-ubyte or clnet's train-images.idx3-ubyte).
/// Every check happens here, before training: the folder, each file, its magic number, its size,
/// and that images and labels agree in number.
/// </summary>
public static class MnistIdx
{
    public const int ImageMagic = 2051;
    public const int LabelMagic = 2049;

    /// <summary>Pixels scaled to [0, 1], as clnet feeds LeNet-5.</summary>
    public static readonly ImageFormat Format = new(28, 28, 1, new[] { 0f }, new[] { 1f });

    public static ImageDataSource Load(string folder)
    {
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new ClNetException("DataFolderNotFound", ClNetErrorKind.ObjectNotFound, $"The MNIST data folder '{full}' does not exist.", full);
        var train = ReadSet(full, "train");
        var test = ReadSet(full, "t10k");
        if (train.Height != test.Height || train.Width != test.Width)
            throw new ClNetException("InvalidDataFile", ClNetErrorKind.InvalidData,
                $"The training images in '{full}' are {train.Height}x{train.Width} but the test images are {test.Height}x{test.Width}.", full);
        var format = Format with { Height = train.Height, Width = train.Width };
        return new ImageDataSource(train, test, format, $"MNIST format: {train.Count:N0} training and {test.Count:N0} test images from {full}");
    }

    public static ImageSet ReadSet(string folder, string prefix)
    {
        string imagesPath = Find(folder, prefix, "images", 3);
        string labelsPath = Find(folder, prefix, "labels", 1);
        var (count, height, width, pixels) = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (labels.Length != count)
            throw new ClNetException("DataCountMismatch", ClNetErrorKind.InvalidData,
                $"'{imagesPath}' holds {count:N0} images but '{labelsPath}' holds {labels.Length:N0} labels.", labelsPath);
        return new ImageSet(count, height, width, 1, pixels, labels);
    }

    /// <summary>train-images-idx3-ubyte, train-images.idx3-ubyte, and either with .gz.</summary>
    private static string Find(string folder, string prefix, string kind, int dims)
    {
        var names = new[] { $"{prefix}-{kind}-idx{dims}-ubyte", $"{prefix}-{kind}.idx{dims}-ubyte" };
        foreach (var name in names.SelectMany(n => new[] { n, n + ".gz" }))
        {
            string path = Path.Combine(folder, name);
            if (File.Exists(path)) return path;
        }
        throw new ClNetException("DataFileNotFound", ClNetErrorKind.ObjectNotFound,
            $"The folder '{folder}' has no {prefix} {kind} file: expected {names[0]} or {names[1]} (optionally .gz).", Path.Combine(folder, names[0]));
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return bytes;
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var inflated = new MemoryStream();
            gzip.CopyTo(inflated);
            return inflated.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new ClNetException("InvalidDataFile", ClNetErrorKind.InvalidData, $"'{path}' is not a valid gzip file: {e.Message}", path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ClNetException("DataFileUnreadable", ClNetErrorKind.InvalidData, $"'{path}' cannot be read: {e.Message}", path, e);
        }
    }

    private static (int Count, int Height, int Width, byte[] Pixels) ReadImages(string path)
    {
        var bytes = ReadFile(path);
        CheckHeader(path, bytes, ImageMagic, 16);
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        int height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
        int width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12));
        if (count < 0 || height <= 0 || width <= 0)
            throw new ClNetException("InvalidDataFile", ClNetErrorKind.InvalidData, $"'{path}' has an impossible header: {count} images of {height}x{width}.", path);
        CheckSize(path, bytes, 16 + (long)count * height * width, $"{count:N0} images of {height}x{width}");
        return (count, height, width, bytes.AsSpan(16, count * height * width).ToArray());
    }

    private static byte[] ReadLabels(string path)
    {
        var bytes = ReadFile(path);
        CheckHeader(path, bytes, LabelMagic, 8);
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        if (count < 0) throw new ClNetException("InvalidDataFile", ClNetErrorKind.InvalidData, $"'{path}' has a negative label count.", path);
        CheckSize(path, bytes, 8 + (long)count, $"{count:N0} labels");
        var labels = bytes.AsSpan(8, count).ToArray();
        int bad = Array.FindIndex(labels, l => l > 9);
        if (bad >= 0)
            throw new ClNetException("InvalidDataFile", ClNetErrorKind.InvalidData, $"'{path}': label {bad} is {labels[bad]}; classes are 0 to 9.", path);
        return labels;
    }

    private static void CheckHeader(string path, byte[] bytes, int magic, int headerBytes)
    {
        if (bytes.Length < headerBytes)
            throw new ClNetException("TruncatedDataFile", ClNetErrorKind.InvalidData, $"'{path}' is truncated: {bytes.Length} bytes, shorter than its {headerBytes}-byte header.", path);
        int actual = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (actual != magic)
            throw new ClNetException("InvalidDataFile", ClNetErrorKind.InvalidData, $"'{path}' has magic number {actual}; an IDX {(magic == ImageMagic ? "image" : "label")} file has {magic}.", path);
    }

    private static void CheckSize(string path, byte[] bytes, long expected, string what)
    {
        if (bytes.Length < expected)
            throw new ClNetException("TruncatedDataFile", ClNetErrorKind.InvalidData, $"'{path}' is truncated: its header announces {what} ({expected:N0} bytes) but it holds {bytes.Length:N0} bytes.", path);
    }

    /// <summary>Writes an IDX image or label file (tests make their own small data sets with it).</summary>
    public static void Write(string path, byte[] data, params int[] dims)
    {
        using var stream = new MemoryStream();
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, dims.Length == 1 ? LabelMagic : ImageMagic);
        stream.Write(word);
        foreach (int d in dims) { BinaryPrimitives.WriteInt32BigEndian(word, d); stream.Write(word); }
        stream.Write(data);
        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var file = File.Create(path);
            using var gzip = new GZipStream(file, CompressionLevel.Fastest);
            stream.Position = 0;
            stream.CopyTo(gzip);
        }
        else File.WriteAllBytes(path, stream.ToArray());
    }
}
