using ClNet.Engine;
using Xunit;

public class ModelTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("clnet-models-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void LeNetHasClnetsShapesAndNames()
    {
        var model = ModelCatalog.Create("MNIST_CNN");
        Assert.Equal(new[] { "conv1_weight", "conv1_bias", "conv2_weight", "conv2_bias", "feature_weight", "feature_bias", "inference_weight", "inference_bias" },
            model.Parameters.Entries.Select(e => e.Name));
        Assert.Equal(new Shape(32, 28, 28, 20), model.Graph["conv1"].Shape);
        Assert.Equal(new Shape(32, 14, 14, 20), model.Graph["pool1"].Shape);
        Assert.Equal(new Shape(32, 7, 7, 50), model.Graph["pool2"].Shape);
        Assert.Equal(new Shape(32, 2450), model.Graph["reshape"].Shape);
        Assert.Equal(new Shape(2450, 480), model.Graph["feature_weight"].Shape);
        Assert.Equal("conv1=tanh(Convolution:5x5(data))", model.Graph["conv1"].Producer!.Alias);
    }

    [Fact]
    public void TheSmallestWideResNetHasClnetsParameterCount()
    {
        var model = ModelCatalog.Create("CIFAR_WRN", new ModelOptions(new Dictionary<string, object?> { ["Width"] = 1, ["Depth"] = 1 }));
        Assert.Equal(78_330, model.ParameterCount);
        Assert.Equal(77_850, model.TrainableParameterCount);
        var names = model.Parameters.Entries.Select(e => e.Name).ToList();
        foreach (var name in new[] { "conv0_weight", "group1_block0_conv0_weight", "group2_block0_bn1_gamma", "group1_block0_convdim_weight", "bn_moving_mean", "bn_moving_variance", "inference_weight" })
            Assert.Contains(name, names);
        Assert.DoesNotContain("group0_block0_convdim_weight", names);   // width and stride unchanged: identity shortcut
        Assert.Equal(new Shape(64, 3, 3, 32), model.Graph["group2_block0_conv0_weight"].Shape);
        Assert.Equal(new Shape(64, 8, 8, 64), model.Graph["group2_block0_conv1"].Shape);
        Assert.NotNull(model.Graph.TryGet("group0_block0_conv1+conv0"));
        Assert.NotNull(model.Graph.TryGet("group1_block0_conv1+group1_block0_convdim"));
        Assert.Equal("group0_block0_bn0=relu(group0_block0_bn0_gamma*normalize(conv0)+group0_block0_bn0_beta)", model.Graph["group0_block0_bn0"].Producer!.Alias);
    }

    [Fact]
    public void WiderAndDeeperNetworksGrowAsExpected()
    {
        var model = ModelCatalog.Create("CIFAR_WRN", new ModelOptions(new Dictionary<string, object?> { ["Width"] = 2, ["Depth"] = 2 }));
        Assert.Equal(new Shape(128, 3, 3, 128), model.Graph["group2_block1_conv1_weight"].Shape);
        Assert.NotNull(model.Graph.TryGet("group0_block0_convdim_weight"));   // 16 -> 32 channels
        Assert.Null(model.Graph.TryGet("group0_block1_convdim_weight"));
    }

    [Fact]
    public void AModelWithoutDataSaysWhatToGive()
    {
        var model = ModelCatalog.Create("MNIST_CNN");
        var e = Assert.Throws<ClNetException>(() => new Session(model, new TrainingOptions()).Run(CancellationToken.None));
        Assert.Equal("NoTrainingData", e.ErrorId);
        Assert.Contains("-DataPath", e.Message);
        Assert.Equal("ModelHasNoDataFiles", Assert.Throws<ClNetException>(() => ModelCatalog.Create("MLP").LoadData(_folder)).ErrorId);
    }

    [Fact]
    public void LeNetLearnsAndReportsTrainingAndTestAccuracy()
    {
        var model = ModelCatalog.Create("MNIST_CNN");
        model.LoadData(TestData.Mnist(Path.Combine(_folder, "mnist"), train: 640, test: 100));
        var records = new List<TrainingProgress>();
        var session = new Session(model, new TrainingOptions { Epochs = 2, ReportEvery = 10 });
        session.Progress += records.Add;
        session.Run(CancellationToken.None);
        var epochs = records.Where(r => r.Kind == "Epoch").ToList();
        Assert.Equal(2, epochs.Count);
        Assert.All(epochs, e => Assert.NotNull(e.TestAccuracy));
        Assert.True(epochs[^1].TestAccuracy >= 0.9, $"test accuracy {epochs[^1].TestAccuracy}");
        Assert.True(epochs[^1].Loss < records[0].Loss);
        Assert.All(records.Where(r => r.Kind == "Step"), r => Assert.InRange(r.Accuracy!.Value, 0, 1));
    }

    [Fact]
    public void TheWideResNetTrainsAndKeepsItsMovingStatistics()
    {
        var model = ModelCatalog.Create("CIFAR_WRN");
        model.LoadData(TestData.Cifar(Path.Combine(_folder, "cifar"), train: 128, test: 70));
        var before = model.Parameters.Values("bn_moving_mean");
        var records = new List<TrainingProgress>();
        var session = new Session(model, new TrainingOptions { Epochs = 1, BatchSize = 16, ReportEvery = 4 });
        session.Progress += records.Add;
        session.Run(CancellationToken.None);
        Assert.NotEqual(before, model.Parameters.Values("bn_moving_mean"));
        var epoch = records.Single(r => r.Kind == "Epoch");
        Assert.InRange(epoch.TestAccuracy!.Value, 0, 1);
        Assert.True(double.IsFinite(epoch.TestLoss!.Value));
        Assert.Equal(8, epoch.Step);
    }
}
