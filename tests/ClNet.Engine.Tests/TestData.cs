using ClNet.Engine;

/// <summary>Small data sets in the real file formats, written for the tests.</summary>
public static class TestData
{
    /// <summary>
    /// An MNIST-format folder whose classes are easy to tell apart: class k has a bright 8x8
    /// block at a position that depends on k, over noise.
    /// </summary>
    public static string Mnist(string folder, int train = 256, int test = 100, bool gzip = false, bool clnetNames = false, int seed = 1)
    {
        Directory.CreateDirectory(folder);
        var r = new Random(seed);
        string Name(string prefix, string kind, int dims) =>
            (clnetNames ? $"{prefix}-{kind}.idx{dims}-ubyte" : $"{prefix}-{kind}-idx{dims}-ubyte") + (gzip ? ".gz" : "");
        foreach (var (prefix, count) in new[] { ("train", train), ("t10k", test) })
        {
            var (pixels, labels) = Images(count, 28, 28, 1, r);
            MnistIdx.Write(Path.Combine(folder, Name(prefix, "images", 3)), pixels, count, 28, 28);
            MnistIdx.Write(Path.Combine(folder, Name(prefix, "labels", 1)), labels, count);
        }
        return folder;
    }

    /// <summary>A CIFAR-10 binary folder (data_batch_1.bin, test_batch.bin) of the same kind of images.</summary>
    public static string Cifar(string folder, int train = 128, int test = 70, int seed = 2)
    {
        Directory.CreateDirectory(folder);
        var r = new Random(seed);
        foreach (var (file, count) in new[] { ("data_batch_1.bin", train), ("test_batch.bin", test) })
        {
            var (pixels, labels) = Images(count, 32, 32, 3, r);
            var records = new byte[count * CifarBinary.RecordBytes];
            for (int i = 0; i < count; i++)
            {
                records[i * CifarBinary.RecordBytes] = labels[i];
                for (int p = 0; p < 1024; p++)
                    for (int c = 0; c < 3; c++)
                        records[i * CifarBinary.RecordBytes + 1 + c * 1024 + p] = pixels[(i * 1024 + p) * 3 + c];
            }
            File.WriteAllBytes(Path.Combine(folder, file), records);
        }
        return folder;
    }

    public static (byte[] Pixels, byte[] Labels) Images(int count, int h, int w, int c, Random r)
    {
        var pixels = new byte[count * h * w * c];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int label = r.Next(10);
            labels[i] = (byte)label;
            int top = 2 + (label / 5) * 12, left = 2 + (label % 5) * 4;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        bool block = y >= top && y < top + 8 && x >= left && x < left + 8;
                        pixels[((i * h + y) * w + x) * c + ch] = (byte)(block ? 200 + r.Next(56) : r.Next(60));
                    }
        }
        return (pixels, labels);
    }
}
