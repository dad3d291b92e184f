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
        using var feed = source.Attach(replica, new ModelGraph(g, x, y, x), seed: 3, Shard.Whole(4));
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

public class TextCorpusTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("clnet-text-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text, new System.Text.UTF8Encoding(false));
        return path;
    }

    [Fact]
    public void TheIndexIsBuiltSavedAndLoadedInCodePointOrder()
    {
        var index = CharacterIndex.Build("hello\nwörld 👋");
        Assert.Equal(new[] { "\n", " ", "d", "e", "h", "l", "o", "r", "w", "ö", "👋" }, index.Characters);
        string path = Path.Combine(_folder, "index.json");
        index.Save(path);
        Assert.Equal(index.Characters, CharacterIndex.Load(path).Characters);
        Assert.Equal(new[] { 4, 3, 5, 5, 6 }, index.Encode("hello", "test"));
        var e = Assert.Throws<ClNetException>(() => index.Encode("held!", "The prefix"));
        Assert.Equal("CharacterNotInIndex", e.ErrorId);
        Assert.Contains("'!'", e.Message);
        Assert.Contains("character 4", e.Message);
    }

    [Fact]
    public void ACorpusIsCutIntoSequencesTheLastOneShorter()
    {
        string path = Write("c.txt", new string('a', 10) + "b");   // 11 characters: 10 predictions
        var corpus = TextCorpus.Load(path, CharacterIndex.Build("ab"), sequenceLength: 4);
        Assert.Equal(3, corpus.Sequences);   // 4 + 4 + 2
        Assert.Equal(11, corpus.Codes.Length);
    }

    [Fact]
    public void EmptyMissingAndForeignCorporaAreClearErrors()
    {
        Assert.Equal("EmptyCorpus", Assert.Throws<ClNetException>(() => TextCorpus.ReadText(Write("empty.txt", ""))).ErrorId);
        Assert.Equal("CorpusNotFound", Assert.Throws<ClNetException>(() => TextCorpus.ReadText(Path.Combine(_folder, "none.txt"))).ErrorId);
        var e = Assert.Throws<ClNetException>(() => TextCorpus.Load(Write("x.txt", "abcz"), CharacterIndex.Build("abc"), 4));
        Assert.Equal("CharacterNotInIndex", e.ErrorId);
        Assert.Contains("'z'", e.Message);
        File.WriteAllBytes(Path.Combine(_folder, "bad.txt"), new byte[] { 0x61, 0xff, 0x62 });
        Assert.Equal("InvalidCorpus", Assert.Throws<ClNetException>(() => TextCorpus.ReadText(Path.Combine(_folder, "bad.txt"))).ErrorId);
    }

    [Fact]
    public void ACharRnnGetsItsAlphabetFromTheCorpusOrTheIndex()
    {
        string corpus = Write("kjv.txt", "In the beginning God created the heaven and the earth.\n");
        var model = ModelCatalog.Create("CharRNN", new ModelOptions(new Dictionary<string, object?> { ["Layers"] = 1, ["Hidden"] = 8, ["Embedding"] = 4 }), 1, corpus);
        Assert.True(File.Exists(corpus + ".index.json"));
        Assert.Equal(new Shape(CharacterIndex.Build(File.ReadAllText(corpus)).Count, 4), model.Graph["embedding_matrix"].Shape);
        foreach (var name in new[] { "embedding_matrix", "lstm_weight_x0", "lstm_weight_h0", "lstm_bias0", "class_weight", "class_bias" })
            Assert.Contains(name, model.Parameters.Entries.Select(e => e.Name));

        var fromIndex = ModelCatalog.Create("CharRNN", new ModelOptions(new Dictionary<string, object?> { ["IndexPath"] = corpus + ".index.json", ["Layers"] = 1 }));
        Assert.Equal(model.Options.Text("Alphabet"), fromIndex.Options.Text("Alphabet"));
        Assert.Equal("NoAlphabet", Assert.Throws<ClNetException>(() => ModelCatalog.Create("CharRNN")).ErrorId);
    }

    [Fact]
    public void TheDefaultCharRnnHasClnetsShapes()
    {
        string corpus = Write("abc.txt", string.Concat(Enumerable.Range(0, 84).Select(i => (char)('!' + i))));
        var model = ModelCatalog.Create("CharRNN", null, 1, corpus);
        Assert.Equal(new Shape(84, 256), model.Graph["embedding_matrix"].Shape);
        Assert.Equal(new Shape(256, 1024), model.Graph["lstm_weight_x0"].Shape);
        Assert.Equal(new Shape(256, 1024), model.Graph["lstm_weight_h2"].Shape);
        Assert.Equal(new Shape(1024), model.Graph["lstm_bias2"].Shape);
        Assert.Equal(new Shape(256, 84), model.Graph["class_weight"].Shape);
        Assert.Equal(new Shape(32, 129), model.Graph["data"].Shape);
        Assert.Equal("lstm=LSTM(embedding)", model.Graph["lstm"].Producer!.Alias);
    }

    [Fact]
    public void ACharRnnLearnsAShortTextAndRepeatsItGreedily()
    {
        string text = string.Concat(Enumerable.Repeat("the cat sat on the mat. ", 40));
        string corpus = Write("cat.txt", text);
        var options = new ModelOptions(new Dictionary<string, object?> { ["Layers"] = 2, ["Hidden"] = 32, ["Embedding"] = 16, ["SequenceLength"] = 24 });
        var model = ModelCatalog.Create("CharRNN", options, 1, corpus);
        model.LoadData(corpus);
        var records = new List<TrainingProgress>();
        var session = new Session(model, new TrainingOptions { Epochs = 40, BatchSize = 8, ReportEvery = 100, LearningRate = 0.01 });
        session.Progress += records.Add;
        session.Run(CancellationToken.None);
        var last = records.Last();
        Assert.True(last.BitsPerCharacter < 0.5, $"bits per character {last.BitsPerCharacter}");
        Assert.True(last.CharactersPerSecond > 0);
        using var generator = new TextGenerator(model);
        // within the sequence length it was trained on (it always started from a zero state at "the")
        Assert.Equal("the cat sat on the mat.", generator.Generate("the cat ", 15, temperature: 0, seed: 1));
        Assert.Equal(generator.Generate("the", 50, 0.8, 5), generator.Generate("the", 50, 0.8, 5));   // seeded sampling repeats
    }

    [Fact]
    public void TheLastShortBatchIsTrainedNotDropped()
    {
        string corpus = Write("odd.txt", string.Concat(Enumerable.Repeat("abcdefg", 11)));   // 77 characters: 76 predictions
        var options = new ModelOptions(new Dictionary<string, object?> { ["Layers"] = 1, ["Hidden"] = 8, ["Embedding"] = 4, ["SequenceLength"] = 10 });
        var model = ModelCatalog.Create("CharRNN", options, 1, corpus);
        model.LoadData(corpus);
        var corpusData = (TextCorpus)model.Data!;
        Assert.Equal(8, corpusData.Sequences);   // 7 of 10 and one of 6
        var records = new List<TrainingProgress>();
        var session = new Session(model, new TrainingOptions { Epochs = 1, BatchSize = 3, ReportEvery = 1 });
        session.Progress += records.Add;
        session.Run(CancellationToken.None);
        Assert.Equal(3, records.Single(r => r.Kind == "Epoch").Step);   // batches of 3, 3 and 2 sequences
        Assert.All(records, r => Assert.True(double.IsFinite(r.Loss) && r.Loss > 0));
    }
}
