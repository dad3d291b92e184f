using ClNet.Engine;
using Xunit;

public class DataTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("clnet-data-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void MnistFilesAreReadRawOrGzippedInEitherNamingStyle(bool gzip, bool clnetNames)
    {
        string folder = TestData.Mnist(Path.Combine(_folder, $"m{gzip}{clnetNames}"), 30, 20, gzip, clnetNames);
        var data = MnistIdx.Load(folder);
        Assert.Equal(30, data.Train.Count);
        Assert.Equal(20, data.Test.Count);
        Assert.Equal(28, data.Train.Height);
        var (pixels, labels) = TestData.Images(30, 28, 28, 1, new Random(1));
        Assert.Equal(pixels, data.Train.Pixels);
        Assert.Equal(labels, data.Train.Labels);
    }

    [Fact]
    public void MnistErrorsNameTheFile()
    {
        var missing = Assert.Throws<ClNetException>(() => MnistIdx.Load(Path.Combine(_folder, "nowhere")));
        Assert.Equal("DataFolderNotFound", missing.ErrorId);
        Assert.Contains("nowhere", missing.Message);

        string folder = TestData.Mnist(Path.Combine(_folder, "bad"), 30, 20);
        string images = Path.Combine(folder, "train-images-idx3-ubyte");
        string labels = Path.Combine(folder, "train-labels-idx1-ubyte");

        var bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..(bytes.Length - 100)]);
        var truncated = Assert.Throws<ClNetException>(() => MnistIdx.Load(folder));
        Assert.Equal("TruncatedDataFile", truncated.ErrorId);
        Assert.Contains(images, truncated.Message);

        bytes[3] = 99;   // magic 2051 -> 2147
        File.WriteAllBytes(images, bytes);
        var magic = Assert.Throws<ClNetException>(() => MnistIdx.Load(folder));
        Assert.Equal("InvalidDataFile", magic.ErrorId);
        Assert.Contains(images, magic.Message);
        Assert.Contains("magic", magic.Message);

        TestData.Mnist(folder, 30, 20);
        MnistIdx.Write(labels, new byte[29], 29);
        var count = Assert.Throws<ClNetException>(() => MnistIdx.Load(folder));
        Assert.Equal("DataCountMismatch", count.ErrorId);
        Assert.Contains(images, count.Message);
        Assert.Contains(labels, count.Message);

        File.Delete(labels);
        var absent = Assert.Throws<ClNetException>(() => MnistIdx.Load(folder));
        Assert.Equal("DataFileNotFound", absent.ErrorId);
        Assert.Contains("train-labels-idx1-ubyte", absent.Message);
    }

    [Fact]
    public void CifarRecordsBecomeNhwcImages()
    {
        string folder = TestData.Cifar(Path.Combine(_folder, "cifar"), 12, 7);
        var data = CifarBinary.Load(folder);
        Assert.Equal(12, data.Train.Count);
        Assert.Equal(7, data.Test.Count);
        var (pixels, labels) = TestData.Images(12, 32, 32, 3, new Random(2));
        Assert.Equal(pixels, data.Train.Pixels);
        Assert.Equal(labels, data.Train.Labels);
    }

    [Fact]
    public void CifarErrorsNameTheFile()
    {
        Assert.Equal("DataFolderNotFound", Assert.Throws<ClNetException>(() => CifarBinary.Load(Path.Combine(_folder, "none"))).ErrorId);
        string folder = TestData.Cifar(Path.Combine(_folder, "cifar"), 12, 7);
        string test = Path.Combine(folder, "test_batch.bin");
        File.WriteAllBytes(test, File.ReadAllBytes(test)[..5000]);
        var truncated = Assert.Throws<ClNetException>(() => CifarBinary.Load(folder));
        Assert.Equal("TruncatedDataFile", truncated.ErrorId);
        Assert.Contains(test, truncated.Message);
        File.Delete(test);
        Assert.Contains("test_batch.bin", Assert.Throws<ClNetException>(() => CifarBinary.Load(folder)).Message);
    }
}

[Collection("device")]
public class ImageFeedTests : IDisposable
{
    private readonly DeviceContext _device;
    private readonly string _folder = Directory.CreateTempSubdirectory("clnet-feed-").FullName;

    public ImageFeedTests(DeviceFixture fixture) => _device = fixture.Device;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void BatchesAreNormalisedShuffledWholeAndTheLastTestBatchIsShort()
    {
        var source = CifarBinary.Load(TestData.Cifar(_folder, 10, 7));
        var g = new Graph();
        var x = g.Data("data", 4, 32, 32, 3);
        var y = g.Data("label", 4);
        using var replica = new Replica(g, _device);
        using var feed = source.Attach(replica, x, y, seed: 3);
        Assert.Equal(3, feed.StepsPerEpoch);   // 10 images in batches of 4: the last batch is filled up
        Assert.Equal(2, feed.TestSteps);

        var seen = new List<int>();
        for (int step = 0; step < feed.StepsPerEpoch; step++)
        {
            feed.LoadTrain(0, step);
            var images = replica.Read(x);
            var labels = replica.Read(y);
            for (int b = 0; b < 4; b++)
            {
                int index = FindImage(source.Train, images, b);
                Assert.True(index >= 0, "every batch row is one of the training images, normalised");
                Assert.Equal(source.Train.Labels[index], labels[b]);
                seen.Add(index);
            }
        }
        Assert.Equal(Enumerable.Range(0, 10), seen.Take(10).Order());   // each image once per epoch before the padding

        feed.LoadTest(1);
        Assert.Equal(3, replica.ActiveRows);   // 7 test images: 4 + 3
        Assert.Equal(source.Test.Labels[4..7].Select(l => (float)l), replica.Read(y)[..3]);
    }

    private static int FindImage(ImageSet set, float[] batch, int row)
    {
        int size = 32 * 32 * 3;
        for (int i = 0; i < set.Count; i++)
        {
            bool same = true;
            for (int p = 0; p < size && same; p += 97)
                same = Math.Abs(CifarBinary.Format.Normalize(set.Pixels[i * size + p], p % 3) - batch[row * size + p]) < 1e-4;
            if (same) return i;
        }
        return -1;
    }
}
