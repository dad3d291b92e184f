using System.Reflection;
using ClNet.Engine;
using Xunit;

/// <summary>Data parallelism over two devices: the same parameters as one device with the whole batch.</summary>
public class MultiDeviceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("clnet-devices-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static bool TwoDevicesPresent => DeviceCatalog.List().Count >= 2;

    private static Model SmallMlp() => ModelCatalog.Create("MLP", new ModelOptions(new Dictionary<string, object?> { ["Hidden"] = 64 }));

    private static List<TrainingProgress> Train(Model model, TrainingOptions options)
    {
        var records = new List<TrainingProgress>();
        var session = new Session(model, options);
        session.Progress += records.Add;
        session.Run(CancellationToken.None);
        return records;
    }

    private static void AssertSameParameters(Model a, Model b, double relative = 1e-4)
    {
        foreach (var (name, _, _) in a.Parameters.Entries)
        {
            var x = a.Parameters.Values(name);
            var y = b.Parameters.Values(name);
            double scale = Math.Max(x.Max(v => Math.Abs(v)), 1e-6);
            double worst = x.Zip(y, (p, q) => Math.Abs(p - q)).Max();
            Assert.True(worst <= relative * scale, $"{name}: largest difference {worst}, scale {scale}");
        }
    }

    [Theory]
    [InlineData(128)]
    [InlineData(37)]   // an uneven split: 19 and 18 rows
    public void TwentyStepsOnTwoDevicesEqualTwentyOnOne(int batch)
    {
        Assert.True(TwoDevicesPresent, "PoCL offers two devices (POCL_DEVICES=\"pthread pthread\")");
        var one = SmallMlp();
        var two = SmallMlp();
        var options = new TrainingOptions { Epochs = 1, StepsPerEpoch = 20, BatchSize = batch, ReportEvery = 10 };
        var single = Train(one, options);
        var pair = Train(two, options with { Devices = new[] { 0, 1 } });
        AssertSameParameters(one, two);
        Assert.Equal(single.Last().Loss, pair.Last().Loss, 4);
        Assert.All(pair, r => Assert.Equal(2, r.Devices));
        Assert.Contains(",", pair[0].Device);
        Assert.NotEqual(SmallMlp().Parameters.Values("l0_weight"), two.Parameters.Values("l0_weight"));
    }

    [Fact]
    public void ConvolutionalAndRecurrentModelsTrainOnTwoDevices()
    {
        var mnist = ModelCatalog.Create("MNIST_CNN");
        mnist.LoadData(TestData.Mnist(Path.Combine(_folder, "mnist"), train: 128, test: 40));
        var one = ModelCatalog.Create("MNIST_CNN");
        one.LoadData(Path.Combine(_folder, "mnist"));
        var options = new TrainingOptions { Epochs = 1, StepsPerEpoch = 3, BatchSize = 16 };
        Train(one, options);
        var records = Train(mnist, options with { Devices = new[] { 0, 1 } });
        AssertSameParameters(one, mnist);   // no batch norm, no dropout: exactly one device's run
        Assert.NotNull(records.Last().TestAccuracy);

        string corpus = Path.Combine(_folder, "text.txt");
        File.WriteAllText(corpus, string.Concat(Enumerable.Repeat("in the beginning was the word. ", 20)));
        var settings = new Dictionary<string, object?> { ["Layers"] = 2, ["Hidden"] = 16, ["Embedding"] = 8, ["SequenceLength"] = 20 };
        var rnn = ModelCatalog.Create("CharRNN", new ModelOptions(settings), 1, corpus);
        rnn.LoadData(corpus);
        var rnnOne = ModelCatalog.Create("CharRNN", new ModelOptions(settings), 1, corpus);
        rnnOne.LoadData(corpus);
        var rnnOptions = new TrainingOptions { Epochs = 1, StepsPerEpoch = 4, BatchSize = 9 };
        Train(rnnOne, rnnOptions);
        Train(rnn, rnnOptions with { Devices = new[] { 0, 1 } });
        AssertSameParameters(rnnOne, rnn, 2e-4);   // Adam and clipping on averaged gradients
    }

    [Fact]
    public async Task BatchNormMovingAveragesStayIdenticalAcrossReplicas()
    {
        var model = ModelCatalog.Create("CIFAR_WRN");
        model.LoadData(TestData.Cifar(Path.Combine(_folder, "cifar"), train: 64, test: 20));
        var session = new Session(model, new TrainingOptions { Devices = new[] { 0, 1 }, Epochs = 1, BatchSize = 16, ReportEvery = 1 });
        var paused = new SemaphoreSlim(0);
        session.Debugger.Paused += (_, _) => paused.Release();
        session.Debugger.SetBreakpoint("SGD", hitCount: 2);
        var run = Task.Run(() => session.Run(CancellationToken.None));
        Assert.True(paused.Wait(TimeSpan.FromSeconds(120)));
        var first = session.ReadTensor("group1_block0_bn0_moving_mean", null, device: 0).Flat();
        var second = session.ReadTensor("group1_block0_bn0_moving_mean", null, device: 1).Flat();
        Assert.Equal(first, second);
        Assert.Contains(first, v => v != 0);
        var gradient0 = session.ReadTensor("conv0_weight", null, gradient: true, device: 0).Flat();
        var gradient1 = session.ReadTensor("conv0_weight", null, gradient: true, device: 1).Flat();
        Assert.Equal(gradient0, gradient1);   // averaged before the update
        session.Debugger.RemoveBreakpoint("SGD");
        session.StartProfiling();
        session.Debugger.Resume();
        await run.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(2, session.Profile().Select(e => e.Device).Distinct().Count());   // the profile has a device column
    }

    [Fact]
    public void ADeviceThatFailsEndsTheRunNamingItAndTheModelKeepsTheLastCompleteStep()
    {
        var model = SmallMlp();
        var initial = model.Parameters.Values("l0_weight");
        var session = new Session(model, new TrainingOptions { Devices = new[] { 0, 1 }, Epochs = 1000, ReportEvery = 5 });
        int reports = 0;
        session.Progress += _ =>
        {
            if (++reports != 2) return;
            // pull the second device from under the training: its command queue goes away, so its next
            // command fails with an OpenCL error (CL_INVALID_COMMAND_QUEUE), as a lost device's would
            var workers = (System.Collections.IList)typeof(Session).GetField("_workers", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(session)!;
            var context = (DeviceContext)workers[1]!.GetType().GetProperty("Context")!.GetValue(workers[1])!;
            var queue = typeof(DeviceContext).GetField("_queue", BindingFlags.NonPublic | BindingFlags.Instance)!;
            context.Finish();
            OpenCl.Api.ReleaseCommandQueue((nint)queue.GetValue(context)!);
            queue.SetValue(context, (nint)0);
        };
        var e = Assert.Throws<ClNetException>(() => session.Run(CancellationToken.None));
        Assert.Equal("DeviceFailed", e.ErrorId);
        Assert.Contains(DeviceCatalog.Get(1).Name, e.Message);
        Assert.Equal(TrainingState.Failed, session.State);
        var kept = model.Parameters.Values("l0_weight");
        Assert.NotEqual(initial, kept);
        Assert.All(kept, v => Assert.True(float.IsFinite(v)));
        Assert.Null(model.Training);
    }
}
