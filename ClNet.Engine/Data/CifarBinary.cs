namespace ClNet.Engine;

/// <summary>
/// Reads the CIFAR-10 binary version: data_batch_1.bin … data_batch_5.bin and test_batch.bin, each
/// record one label byte and 3,072 bytes of R, G and B planes (32x32), stored here as NHWC.
/// The training batches present are used (at least data_batch_1.bin); test_batch.bin is required.
/// </summary>
public static class CifarBinary
{
    public const int Side = 32;
    public const int RecordBytes = 1 + 3 * Side * Side;

    /// <summary>Per-channel mean and standard deviation of the CIFAR-10 training set.</summary>
    public static readonly ImageFormat Format = new(Side, Side, 3, new[] { 0.4914f, 0.4822f, 0.4465f }, new[] { 0.2470f, 0.2435f, 0.2616f });

    public static ImageDataSource Load(string folder)
    {
        string full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new ClNetException("DataFolderNotFound", ClNetErrorKind.ObjectNotFound, $"The CIFAR-10 data folder '{full}' does not exist.", full);
        var trainFiles = Enumerable.Range(1, 5).Select(i => Path.Combine(full, $"data_batch_{i}.bin")).Where(File.Exists).ToList();
        if (!trainFiles.Contains(Path.Combine(full, "data_batch_1.bin")))
            throw new ClNetException("DataFileNotFound", ClNetErrorKind.ObjectNotFound, $"The folder '{full}' has no data_batch_1.bin (CIFAR-10 binary version).", Path.Combine(full, "data_batch_1.bin"));
        string testFile = Path.Combine(full, "test_batch.bin");
        if (!File.Exists(testFile))
            throw new ClNetException("DataFileNotFound", ClNetErrorKind.ObjectNotFound, $"The folder '{full}' has no test_batch.bin (CIFAR-10 binary version).", testFile);
        var train = Read(trainFiles);
        var test = Read(new[] { testFile });
        return new ImageDataSource(train, test, Format, $"CIFAR-10 binary: {train.Count:N0} training images in {trainFiles.Count} batch file(s) and {test.Count:N0} test images from {full}");
    }

    public static ImageSet Read(IReadOnlyList<string> files)
    {
        var records = files.Select(ReadRecords).ToList();
        int count = records.Sum(r => r.Length / RecordBytes);
        var pixels = new byte[count * 3 * Side * Side];
        var labels = new byte[count];
        int image = 0;
        for (int f = 0; f < files.Count; f++)
            for (int offset = 0; offset < records[f].Length; offset += RecordBytes, image++)
            {
                byte label = records[f][offset];
                if (label > 9)
                    throw new ClNetException("InvalidDataFile", ClNetErrorKind.InvalidData, $"'{files[f]}': record {offset / RecordBytes} has label {label}; classes are 0 to 9.", files[f]);
                labels[image] = label;
                for (int p = 0; p < Side * Side; p++)   // planes R, G, B → interleaved RGB
                    for (int c = 0; c < 3; c++)
                        pixels[(image * Side * Side + p) * 3 + c] = records[f][offset + 1 + c * Side * Side + p];
            }
        return new ImageSet(count, Side, Side, 3, pixels, labels);
    }

    private static byte[] ReadRecords(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ClNetException("DataFileUnreadable", ClNetErrorKind.InvalidData, $"'{path}' cannot be read: {e.Message}", path, e);
        }
        if (bytes.Length == 0 || bytes.Length % RecordBytes != 0)
            throw new ClNetException("TruncatedDataFile", ClNetErrorKind.InvalidData,
                $"'{path}' holds {bytes.Length:N0} bytes, which is not a whole number of {RecordBytes:N0}-byte CIFAR-10 records (truncated or not CIFAR-10).", path);
        return bytes;
    }
}
