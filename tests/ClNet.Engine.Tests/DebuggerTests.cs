using ClNet.Engine;
using Xunit;

public class SliceTests
{
    private static Tensor T(params int[] shape)
    {
        var g = new Graph();
        return g.Data("t", shape);
    }

    [Theory]
    [InlineData(":,0:8", new[] { 2, 8 })]
    [InlineData("1,0:8", new[] { 8 })]
    [InlineData("-1,-3:", new[] { 3 })]
    [InlineData("0:1", new[] { 1, 10 })]   // omitted trailing dimensions are taken whole
    [InlineData(":", new[] { 2, 10 })]
    [InlineData("1,4", new int[0])]
    public void TheGrammarGivesTheExpectedShape(string text, int[] shape) =>
        Assert.Equal(shape, Slice.Parse(text, T(2, 10)).ResultShape);

    [Fact]
    public void OffsetsAreRowMajor()
    {
        Assert.Equal(new[] { 12, 13, 14, 22, 23, 24 }, Slice.Parse("1:3,2:5", T(3, 10)).Offsets());
        Assert.Equal(new[] { 19 }, Slice.Parse("-1,-1", T(2, 10)).Offsets());
    }

    [Fact]
    public void ClnetsReshapingViewsTheRestAsOneDimension()
    {
        var slice = Slice.Parse("0:2,0:8", T(32, 28, 28, 20), reshape: true);
        Assert.Equal(new Shape(32, 15680), slice.Viewed);
        Assert.Equal(new[] { 2, 8 }, slice.ResultShape);
        Assert.Equal(15680 + 7, slice.Offsets().Last());
        Assert.Equal("data[0:2/32,0:8/15680]", slice.Header());
        Assert.Equal(new[] { 2, 8, 28, 20 }, Slice.Parse("0:2,0:8", T(32, 28, 28, 20)).ResultShape);
    }

    [Theory]
    [InlineData("0:9000")]
    [InlineData("5")]
    [InlineData("0,0,0")]
    [InlineData("a:b")]
    [InlineData("3:1")]
    public void OutOfRangeSlicesNameTheShape(string text)
    {
        var e = Assert.Throws<ClNetException>(() => Slice.Parse(text, T(2, 10)));
        Assert.Equal("SliceOutOfRange", e.ErrorId);
        Assert.Contains("t[2,10]", e.Message);
    }

    [Fact]
    public void ValuesComeAsAMultiDimensionalArrayAndAClnetListing()
    {
        var t = T(2, 3);
        var values = new TensorValues(t, Slice.Parse(":,1:3", t), new float[] { 0, 1, 2, 3, 4, 5 });
        Assert.Equal(2, values.Values.Rank);
        Assert.Equal(4f, values.Values.GetValue(1, 0));
        Assert.Equal("data[0:2/2,1:3/3] for t[2,3]: Data\n0: 1,2\n1: 4,5\n", values.Listing);
    }
}

public class DebuggerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("clnet-debugger-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Model SmallMlp() => ModelCatalog.Create("MLP", new ModelOptions(new Dictionary<string, object?> { ["Hidden"] = 32 }));

    private static (Session, Task) Start(Model model, TrainingOptions options, CancellationTokenSource cancel)
    {
        var session = new Session(model, options);
        return (session, Task.Run(() => session.Run(cancel.Token)));
    }

    [Fact]
    public async Task ABreakpointStopsBeforeItsNodeAndStepResumeAndRequestsWork()
    {
        using var cancel = new CancellationTokenSource();
        var session = new Session(SmallMlp(), new TrainingOptions { Epochs = 1000 });
        var paused = new SemaphoreSlim(0);
        ExecutionPoint? at = null;
        session.Debugger.Paused += (p, _) => { at = p; paused.Release(); };
        session.Debugger.SetBreakpoint("SGD", hitCount: 3);
        var run = Task.Run(() => session.Run(cancel.Token));

        Assert.True(paused.Wait(TimeSpan.FromSeconds(60)));
        Assert.Equal("SGD", at!.Name);
        Assert.Equal(3, session.Debugger.Breakpoints.Single().Hits);
        Assert.True(session.Debugger.IsPaused);

        // at the breakpoint the gradient is there and the update has not happened yet
        var before = session.ReadTensor("l0_weight", ":,0:4");
        var gradient = session.ReadTensor("l0_weight", ":,0:4", gradient: true);
        Assert.Contains(gradient.Flat(), v => v != 0);

        session.Debugger.Step();   // runs SGD and stops before the next point
        Assert.True(paused.Wait(TimeSpan.FromSeconds(60)));
        Assert.Equal(ExecutionPoint.DataPhase, at!.Phase);
        var after = session.ReadTensor("l0_weight", ":,0:4");
        Assert.NotEqual(before.Flat(), after.Flat());

        session.Debugger.RemoveBreakpoint("SGD");
        session.Debugger.Resume();
        var runningRead = session.ReadTensor("l1_bias", null);   // served at a step boundary while running
        Assert.Single(runningRead.Flat());
        cancel.Cancel();
        await run;
        Assert.Equal(TrainingState.Stopped, session.State);
        Assert.Equal("TrainingNotRunning", Assert.Throws<ClNetException>(() => session.ReadTensor("l1_bias", null)).ErrorId);
    }

    [Fact]
    public void UnknownBreakpointsSuggestTheNearestNames()
    {
        var session = new Session(SmallMlp(), new TrainingOptions());
        var e = Assert.Throws<ClNetException>(() => session.Debugger.SetBreakpoint("FCLayer_O"));
        Assert.Equal("UnknownBreakpointTarget", e.ErrorId);
        Assert.Contains("FCLayer_0", e.Message);
        Assert.Equal("back:FCLayer_1=softrelu(l1_weight*FCLayer_0+l1_bias)", session.Debugger.SetBreakpoint("gradient(l1_weight)").Name);
    }

    [Fact]
    public async Task AHyperparameterChangeTakesEffectFromTheNextStep()
    {
        using var cancel = new CancellationTokenSource();
        var model = SmallMlp();
        var (session, run) = Start(model, new TrainingOptions { Epochs = 1000, ReportEvery = 1 }, cancel);
        var change = session.SetHyperparameter("SGD.learning_rate", _ => 0);
        Assert.Equal(0.0005, change.OldValue, 6);
        Assert.Equal(0, change.NewValue);
        session.SetHyperparameter("SGD.momentum", _ => 0);
        var frozen = session.ReadTensor("l0_weight", null).Flat();
        Thread.Sleep(200);
        Assert.Equal(frozen, session.ReadTensor("l0_weight", null).Flat());   // no learning rate, no momentum: no change
        Assert.Equal(0, session.Hyperparameters().Single(h => h.Name == "SGD.learning_rate").Value);
        Assert.Equal("UnknownHyperparameter", Assert.Throws<ClNetException>(() => session.SetHyperparameter("SGD.speed", v => v)).ErrorId);
        session.SetHyperparameter("IterativeOptimizer.max_epochs", _ => 1);   // ends the run at the end of this epoch
        await run.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(TrainingState.Completed, session.State);
    }

    [Fact]
    public void TheProfileSumsDeviceTimePerNode()
    {
        using var cancel = new CancellationTokenSource();
        var session = new Session(SmallMlp(), new TrainingOptions { Epochs = 1, StepsPerEpoch = 50, Profile = true });
        session.Run(cancel.Token);
        var profile = session.Profile();
        var forward = profile.Single(e => e.Name == "FCLayer_0");
        Assert.Equal(50, forward.Calls);
        Assert.Equal("FullyConnectedLayer", forward.Type);
        Assert.True(forward.TotalMilliseconds > 0);
        Assert.Contains(profile, e => e.Name == "SGD" && e.Calls == 50);
        Assert.Contains(profile, e => e.Name.StartsWith("back:FCLayer_1"));
        Assert.Equal(100, profile.Sum(e => e.Percent), 3);
        Assert.Equal(profile.OrderByDescending(e => e.TotalMilliseconds), profile);
    }

    [Fact]
    public async Task AKernelReloadSwapsGoodKernelsAndKeepsTheRunningOnesOnABuildError()
    {
        using var cancel = new CancellationTokenSource();
        var (session, run) = Start(SmallMlp(), new TrainingOptions { Epochs = 1000 }, cancel);
        foreach (var (file, text) in KernelSources.Embedded().Files) File.WriteAllText(Path.Combine(_folder, file), text);
        var reload = Assert.Single(session.ReloadKernels(KernelSources.FromDirectory(_folder)));
        Assert.Equal(_folder, reload.Origin);
        Assert.True(reload.Kernels > 10);

        File.AppendAllText(Path.Combine(_folder, "optimizer.cl"), "\n__kernel void broken(void) { undefined_call(); }\n");
        var e = Assert.Throws<KernelBuildException>(() => session.ReloadKernels(KernelSources.FromDirectory(_folder)));
        Assert.Contains("undefined_call", e.BuildLog);
        var stillRunning = session.ReadTensor("l1_bias", null);   // the training goes on with the kernels it had
        Assert.Equal(TrainingState.Running, session.State);
        cancel.Cancel();
        await run;
    }

    [Fact]
    public void TensorCsvRoundTripsAndRejectsAMismatchedFile()
    {
        string path = Path.Combine(_folder, "w.csv");
        var values = Enumerable.Range(0, 6).Select(i => i * 0.25f).ToArray();
        TensorCsv.Write(path, "w", new Shape(2, 3), values);
        var back = TensorCsv.Read(path);
        Assert.Equal("w", back.Tensor);
        Assert.Equal(new Shape(2, 3), back.Shape);
        Assert.Equal(values, back.Values);
        Assert.Contains("w,\"[2,3]\",\"1,2\",1.25", File.ReadAllText(path));
        File.WriteAllLines(path, File.ReadAllLines(path)[..^1]);
        Assert.Equal("InvalidTensorFile", Assert.Throws<ClNetException>(() => TensorCsv.Read(path)).ErrorId);
    }
}
