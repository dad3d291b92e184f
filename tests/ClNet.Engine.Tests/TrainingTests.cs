using ClNet.Engine;
using Xunit;

public class TrainingTests
{
    private static Model SmallMlp(int seed = 1) =>
        ModelCatalog.Create("MLP", new ModelOptions(new Dictionary<string, object?> { ["Hidden"] = 64 }), seed);

    private static List<TrainingProgress> Train(Model model, TrainingOptions options, CancellationToken cancel = default)
    {
        var records = new List<TrainingProgress>();
        var session = new Session(model, options);
        session.Progress += records.Add;
        session.Run(cancel);
        return records;
    }

    [Fact]
    public void TheMlpLossFallsTenfoldInItsFirstEpoch()
    {
        var model = ModelCatalog.Create("MLP");
        var records = Train(model, new TrainingOptions { Epochs = 1 });
        double start = records.First().Loss;
        var epoch = records.Single(r => r.Kind == "Epoch");
        var last = records.Last(r => r.Kind == "Step");
        Assert.True(epoch.Loss * 10 <= start, $"start {start}, epoch mean {epoch.Loss}");
        Assert.True(last.Loss * 10 <= start, $"start {start}, end of epoch {last.Loss}");
        Assert.Equal(1000, epoch.Step);
        Assert.Equal(100.0, epoch.PercentComplete);
        Assert.All(records, r => Assert.True(r.SamplesPerSecond > 0));
    }

    [Fact]
    public void ASeedMakesARunReproducible()
    {
        var options = new TrainingOptions { Epochs = 1, StepsPerEpoch = 50, ReportEvery = 10, Seed = 7 };
        var a = Train(SmallMlp(3), options).Select(r => r.Loss).ToList();
        var b = Train(SmallMlp(3), options).Select(r => r.Loss).ToList();
        var c = Train(SmallMlp(3), options with { Seed = 8 }).Select(r => r.Loss).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(SmallMlp(3).Parameters.Values("l0_weight"), SmallMlp(4).Parameters.Values("l0_weight"));
    }

    [Fact]
    public void TrainingWritesTheParametersBackToTheModel()
    {
        var model = SmallMlp();
        var before = model.Parameters.Values("l1_weight");
        Train(model, new TrainingOptions { Epochs = 1, StepsPerEpoch = 20 });
        Assert.NotEqual(before, model.Parameters.Values("l1_weight"));
        Assert.Null(model.Training);
    }

    [Fact]
    public void CancellingStopsAtAStepBoundaryAndKeepsTheStepsDone()
    {
        var model = SmallMlp();
        var before = model.Parameters.Values("l0_weight");
        using var cancel = new CancellationTokenSource();
        var session = new Session(model, new TrainingOptions { Epochs = 1000, ReportEvery = 5 });
        int reports = 0;
        session.Progress += _ => { if (++reports == 3) cancel.Cancel(); };
        session.Run(cancel.Token);
        Assert.Equal(TrainingState.Stopped, session.State);
        Assert.NotEqual(before, model.Parameters.Values("l0_weight"));
        Assert.All(model.Parameters.Values("l0_weight"), v => Assert.True(float.IsFinite(v)));
        Assert.Null(model.Training);
    }

    [Fact]
    public async Task TwoModelsTrainAtOnceInOneProcess()
    {
        var first = SmallMlp(1);
        var second = SmallMlp(2);
        var options = new TrainingOptions { Epochs = 1, StepsPerEpoch = 200, ReportEvery = 200 };
        var runs = new[] { first, second }.Select(m => Task.Run(() => Train(m, options))).ToArray();
        var results = await Task.WhenAll(runs);
        Assert.All(results, r => Assert.True(r.Last().Loss < r.First().Loss));
        Assert.NotEqual(first.Parameters.Values("l0_weight"), second.Parameters.Values("l0_weight"));
    }

    [Fact]
    public async Task AModelTrainsInOneSessionAtATime()
    {
        var model = SmallMlp();
        using var cancel = new CancellationTokenSource();
        var session = new Session(model, new TrainingOptions { Epochs = 1000, ReportEvery = 1 });
        var started = new ManualResetEventSlim();
        session.Progress += _ => started.Set();
        var run = Task.Run(() => session.Run(cancel.Token));
        started.Wait();
        var e = Assert.Throws<ClNetException>(() => new Session(model, new TrainingOptions()).Run(CancellationToken.None));
        Assert.Equal("ModelBusy", e.ErrorId);
        cancel.Cancel();
        await run;
    }

    [Theory]
    [InlineData("Epochs")]
    [InlineData("BatchSize")]
    [InlineData("Device")]
    [InlineData("LearningRate")]
    public void BadOptionsFailBeforeAnythingStarts(string setting)
    {
        var options = setting switch
        {
            "Epochs" => new TrainingOptions { Epochs = 0 },
            "BatchSize" => new TrainingOptions { BatchSize = -1 },
            "Device" => new TrainingOptions { Device = 42 },
            _ => new TrainingOptions { LearningRate = double.NaN },
        };
        var e = Assert.Throws<ClNetException>(() => new Session(SmallMlp(), options));
        Assert.Equal(ClNetErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(setting == "Device" ? "42" : setting, e.Message);
    }

    [Fact]
    public void UnknownModelsAndOptionsAreNamed()
    {
        var e = Assert.Throws<ClNetException>(() => ModelCatalog.Create("LeNet7"));
        Assert.Equal("UnknownModel", e.ErrorId);
        Assert.Contains("MLP", e.Message);
        var o = Assert.Throws<ClNetException>(() => ModelCatalog.Create("mlp", new ModelOptions(new Dictionary<string, object?> { ["Depth"] = 3 })));
        Assert.Contains("Hidden", o.Message);
    }

    [Fact]
    public void TheMlpHasClnetsNamesAndShapes()
    {
        var model = ModelCatalog.Create("MLP");
        Assert.Equal(new[] { "l0_weight", "l0_bias", "l1_weight", "l1_bias" }, model.Parameters.Entries.Select(e => e.Name));
        Assert.Equal(new Shape(2, 4096), model.Graph["l0_weight"].Shape);
        Assert.Equal(new Shape(128, 2), model.Graph["X"].Shape);
        Assert.Equal("FCLayer_0=sigmoid(l0_weight*X+l0_bias)", model.Graph.Nodes[0].Alias);
        Assert.Equal("FCLayer_1=softrelu(l1_weight*FCLayer_0+l1_bias)", model.Graph.Nodes[1].Alias);
        Assert.Equal(2 * 4096 + 4096 + 4096 + 1, model.ParameterCount);
    }
}

[Collection("device")]
public class DataAndOptimizerTests
{
    private readonly DeviceContext _device;

    public DataAndOptimizerTests(DeviceFixture fixture) => _device = fixture.Device;

    [Fact]
    public void SyntheticDataMatchesTheHostGenerator()
    {
        var g = new Graph();
        var x = g.Data("X", 37, 2);
        var y = g.Data("Y", 37);
        using var r = new Replica(g, _device);
        using var feed = new SyntheticRatio(10).Attach(r, new ModelGraph(g, x, y, y), 42, Shard.Whole(37));
        feed.LoadTrain(1, 3);
        var xs = r.Read(x);
        var ys = r.Read(y);
        for (int i = 0; i < 37; i++)
        {
            float x0 = 1 + 3 * SyntheticRatio.Uniform01(42, 13, (uint)(2 * i)), x1 = 1 + 3 * SyntheticRatio.Uniform01(42, 13, (uint)(2 * i + 1));
            Assert.Equal(x0, xs[2 * i], 5);
            Assert.Equal(x1, xs[2 * i + 1], 5);
            Assert.InRange(x0, 1f, 4f);
            Assert.Equal(x0 / x1, ys[i], 5);
        }
    }

    [Fact]
    public void SgdMatchesTheReferenceUpdate()
    {
        var g = new Graph();
        var w = g.Weight("w", new ConstantInitializer(0), 7, 13);
        var loss = g.LinearRegressionLoss(g.FullyConnected("FC", g.Data("X", 2, 7), w, null), g.Data("Y", 2, 13));
        g.SetLoss(loss);
        using var r = new Replica(g, _device);
        var random = new Random(2);
        var weights = Reference.Random(91, random);
        var gradient = Reference.Random(91, random);
        r.Write(w, weights);
        r.Write(w.Gradient!, gradient);
        using var sgd = new Sgd(r, 0.1f, 0.9f, 0.01f);
        sgd.Step(r);
        sgd.Step(r);   // the second step uses the velocity of the first
        var actual = r.Read(w);
        for (int i = 0; i < 91; i++)
        {
            double v = -0.1 * (gradient[i] + 0.01 * weights[i]);
            double w1 = weights[i] + v;
            v = 0.9 * v - 0.1 * (gradient[i] + 0.01 * w1);
            Assert.Equal(w1 + v, actual[i], 5);
        }
    }
}
