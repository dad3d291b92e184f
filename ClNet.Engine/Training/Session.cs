using System.Diagnostics;

namespace ClNet.Engine;

public enum TrainingState
{
    Created,
    Running,
    Completed,
    Stopped,
    Failed,
}

/// <summary>
/// One training run of a model on a device. <see cref="Run"/> trains on the calling thread: each
/// step is enqueued whole (data, forward, backward, update) without waiting; the queue is drained
/// only when a progress record reads the running sums, or when the debugger stops or serves a
/// request. Each epoch ends with a pass over the test set where there is one. Cancelling stops at a
/// step boundary. The model's parameters are written back at the end of every epoch and when the
/// run ends, however it ends. Other threads reach the running session only through <see cref="Debugger"/>.
/// </summary>
public sealed class Session
{
    // slots of the device-side running sums read by each report
    private const int LossSum = 0, CorrectSum = 1, TestLossSum = 2, TestCorrectSum = 3, Slots = 4;
    private const int MaxPendingEvents = 50_000;

    private readonly object _stateGate = new();
    private int _epochs;
    private DeviceContext? _device;
    private Replica? _replica;
    private Optimizer? _optimizer;
    private Profiler? _profiler;
    private bool _profiling;

    public Model Model { get; }
    public TrainingOptions Options { get; }
    public TrainingState State { get; private set; } = TrainingState.Created;
    public DeviceInfo Device { get; }
    public ModelGraph ModelGraph { get; }
    public Debugger Debugger { get; } = new();

    /// <summary>Epochs to train; Set-ClNetHyperparameter IterativeOptimizer.max_epochs changes it while the training runs.</summary>
    public int Epochs => Volatile.Read(ref _epochs);
    public int BatchSize { get; }
    public int Seed { get; }
    public float LearningRate { get; }
    public float Momentum { get; }
    public float WeightDecay { get; }
    public string OptimizerName { get; }
    public float ClipNorm { get; }

    /// <summary>Raised on the training thread for every record.</summary>
    public event Action<TrainingProgress>? Progress;

    /// <summary>Checks the options and the device and builds the graph now, so that a bad value fails before any work starts.</summary>
    public Session(Model model, TrainingOptions options)
    {
        options.Validate();
        Model = model;
        Options = options;
        Device = DeviceCatalog.Get(options.Device);
        _epochs = options.Epochs ?? model.Defaults.Epochs;
        BatchSize = options.BatchSize ?? model.Defaults.BatchSize;
        Seed = options.Seed ?? model.Seed;
        LearningRate = (float)(options.LearningRate ?? model.Defaults.LearningRate);
        Momentum = (float)(options.Momentum ?? model.Defaults.Momentum);
        WeightDecay = (float)(options.WeightDecay ?? model.Defaults.WeightDecay);
        OptimizerName = string.Equals(options.Optimizer ?? model.Defaults.Optimizer, "Adam", StringComparison.OrdinalIgnoreCase) ? "Adam" : "SGD";
        ClipNorm = (float)(options.ClipNorm ?? model.Defaults.ClipNorm);
        ModelGraph = model.BuildGraph(BatchSize);
        Debugger.SetPoints(OptimizerName == "Adam"
            ? ExecutionPoint.Plan(ModelGraph, "Adam", "AdamUpdater")
            : ExecutionPoint.Plan(ModelGraph));
        _profiling = options.Profile;
    }

    public Graph Graph => ModelGraph.Graph;

    public void Run(CancellationToken cancel)
    {
        if (State != TrainingState.Created) throw new InvalidOperationException("A session runs once.");
        Model.BeginTraining(this);
        lock (_stateGate) State = TrainingState.Running;
        try
        {
            Train(cancel);
            lock (_stateGate) State = cancel.IsCancellationRequested ? TrainingState.Stopped : TrainingState.Completed;
        }
        catch
        {
            lock (_stateGate) State = TrainingState.Failed;
            throw;
        }
        finally
        {
            Debugger.Close();
            _profiler?.Resolve();
            _replica = null;
            _optimizer = null;
            _device = null;
            Model.EndTraining(this);
        }
    }

    private void Train(CancellationToken cancel)
    {
        var model = ModelGraph;
        using var device = new DeviceContext(Device, Options.KernelCache);
        using var replica = new Replica(model.Graph, device);
        using var feed = Model.Data!.Attach(replica, model, Seed);
        using var optimizer = Optimizer.Create(OptimizerName, replica, LearningRate, Momentum, WeightDecay, ClipNorm);
        using var sums = device.Allocate(Slots, "running_sums");
        replica.Upload(Model.Parameters);
        (_device, _replica, _optimizer) = (device, replica, optimizer);
        if (_profiling) EnableProfiler();

        var points = Debugger.Points;
        int stepsPerEpoch = Math.Min(Options.StepsPerEpoch ?? feed.StepsPerEpoch, feed.StepsPerEpoch);
        long iteration = 0;
        var clock = Stopwatch.StartNew();
        void Drain() => device.Finish();

        void At(ExecutionPoint point)
        {
            _profiler?.Enter(point.Name, point.Type);
            Debugger.AtPoint(point, Drain, cancel);
        }

        void Accumulate(Tensor value, int slot, float scale) =>
            device.Launch(device.Kernels["accumulate_scalar"].Set(0, replica[value]).Set(1, sums).Set(2, slot).Set(3, scale), 1);

        for (int epoch = 0; epoch < Epochs && !cancel.IsCancellationRequested; epoch++)
        {
            var epochStart = clock.Elapsed;
            var reportStart = epochStart;
            double epochLoss = 0, epochCorrect = 0;
            int sinceReport = 0, step = 0;
            for (; step < stepsPerEpoch && !cancel.IsCancellationRequested; step++)
            {
                int p = 0;
                At(points[p++]);
                feed.LoadTrain(epoch, step);
                foreach (var node in model.Graph.Nodes)
                {
                    At(points[p++]);
                    node.Op.Forward(replica, node);
                }
                Accumulate(model.Graph.Loss!, LossSum, 1f);
                if (model.Correct is not null) Accumulate(model.Correct, CorrectSum, 1f);
                foreach (var backward in model.Graph.Backward)
                {
                    At(points[p++]);
                    backward.Forward.Op.Backward(replica, backward);
                }
                At(points[p]);
                optimizer.Step(replica);
                replica.Step++;
                device.Flush();
                iteration++;
                sinceReport++;

                if (iteration == 1 || (step + 1) % Options.ReportEvery == 0 || step + 1 == stepsPerEpoch)
                {
                    var s = ReadAndReset(device, sums);   // waits for the queue
                    _profiler?.Resolve();
                    epochLoss += s[LossSum];
                    epochCorrect += s[CorrectSum];
                    var now = clock.Elapsed;
                    Report(new TrainingProgress
                    {
                        Kind = "Step", Epoch = epoch + 1, Step = step + 1, Iteration = iteration,
                        Loss = s[LossSum] / sinceReport,
                        Accuracy = model.Correct is null ? null : s[CorrectSum] / (sinceReport * BatchSize),
                        SamplesPerSecond = sinceReport * BatchSize / (now - reportStart).TotalSeconds,
                        Elapsed = now, PercentComplete = 100.0 * iteration / ((long)Epochs * stepsPerEpoch),
                    });
                    reportStart = clock.Elapsed;
                    sinceReport = 0;
                }
                else if (_profiler?.Pending > MaxPendingEvents)
                {
                    device.Finish();
                    _profiler.Resolve();
                }
                Debugger.AtStepBoundary(Drain);
            }
            if (sinceReport > 0) ReadAndReset(device, sums);   // a cancelled epoch's last steps
            replica.Download(Model.Parameters);
            if (step < stepsPerEpoch) break;

            var trained = clock.Elapsed;
            var (testLoss, testAccuracy) = feed.TestSteps > 0 ? Validate(feed, sums, Accumulate, cancel) : (null, null);
            Report(new TrainingProgress
            {
                Kind = "Epoch", Epoch = epoch + 1, Step = step, Iteration = iteration,
                Loss = epochLoss / step,
                Accuracy = model.Correct is null ? null : epochCorrect / ((double)step * BatchSize),
                TestLoss = testLoss, TestAccuracy = testAccuracy,
                SamplesPerSecond = step * BatchSize / (trained - epochStart).TotalSeconds,
                Elapsed = clock.Elapsed, PercentComplete = 100.0 * iteration / ((long)Epochs * stepsPerEpoch),
            });
            Debugger.AtStepBoundary(Drain);
        }
    }

    /// <summary>A forward pass over the whole test set in inference mode; only the real rows of the last batch count.</summary>
    private (double?, double?) Validate(IDataFeed feed, DeviceBuffer sums, Action<Tensor, int, float> accumulate, CancellationToken cancel)
    {
        var (model, replica, device) = (ModelGraph, _replica!, _device!);
        replica.IsTraining = false;
        _profiler?.Enter("(validation)", "Validation");
        long samples = 0;
        try
        {
            for (int step = 0; step < feed.TestSteps; step++)
            {
                if (cancel.IsCancellationRequested) return (null, null);
                feed.LoadTest(step);
                int rows = replica.Active(model.Input.Shape[0]);
                replica.Forward();
                accumulate(model.Graph.Loss!, TestLossSum, rows);
                if (model.Correct is not null) accumulate(model.Correct, TestCorrectSum, 1f);
                device.Flush();
                samples += rows;
            }
        }
        finally
        {
            replica.IsTraining = true;
            replica.ActiveRows = null;
        }
        var s = ReadAndReset(device, sums);
        _profiler?.Resolve();
        return (s[TestLossSum] / samples, model.Correct is null ? null : s[TestCorrectSum] / samples);
    }

    private static double[] ReadAndReset(DeviceContext device, DeviceBuffer sums)
    {
        var values = new float[Slots];
        device.Read(sums, values);
        device.Fill(sums, 0f);
        return values.Select(v => (double)v).ToArray();
    }

    private void Report(TrainingProgress record)
    {
        int characters = ModelGraph.CharactersPerSample;
        Progress?.Invoke(record with
        {
            Model = Model.Name,
            Device = Device.Name,
            PercentComplete = Math.Min(100.0, record.PercentComplete),
            BitsPerCharacter = characters > 0 ? record.Loss / Math.Log(2) : null,
            CharactersPerSecond = characters > 0 ? record.SamplesPerSecond * characters : null,
        });
    }

    // ---- what the debugger cmdlets ask of a running session; everything runs on the training thread ----

    /// <summary>A tensor of this session's graph, or an error that lists the nearest names.</summary>
    public Tensor Tensor(string name) => Graph.TryGet(name)
        ?? throw new ClNetException("TensorNotFound", ClNetErrorKind.ObjectNotFound,
            $"The training of {Model.Name} has no tensor named '{name}'. Nearest: {string.Join(", ", NameSuggestions.Nearest(name, Graph.Tensors.Select(t => t.Name)))}.", name);

    /// <summary>Reads a tensor (or its gradient) at a step boundary, or where the training is paused.</summary>
    public TensorValues ReadTensor(string name, string? slice, bool gradient = false, bool reshape = false, CancellationToken cancel = default)
    {
        var tensor = Target(name, gradient);
        var parsed = Slice.Parse(slice, tensor, reshape);
        var values = Debugger.Invoke(() => _replica!.Read(tensor), cancel);
        return new TensorValues(tensor, parsed, values);
    }

    /// <summary>Changes the elements of a slice at a step boundary; returns how many changed.</summary>
    public int WriteTensor(string name, string? slice, Func<float, float> change, bool gradient = false, bool reshape = false, CancellationToken cancel = default)
    {
        var tensor = Target(name, gradient);
        var parsed = Slice.Parse(slice, tensor, reshape);
        return Debugger.Invoke(() =>
        {
            var values = _replica!.Read(tensor);
            foreach (int offset in parsed.Offsets()) values[offset] = change(values[offset]);
            _replica.Write(tensor, values);
            return parsed.Count;
        }, cancel);
    }

    /// <summary>Replaces a whole tensor at a step boundary.</summary>
    public void WriteTensor(string name, float[] values, CancellationToken cancel = default)
    {
        var tensor = Tensor(name);
        if (values.Length != tensor.Volume)
            throw new ClNetException("ValueCountMismatch", ClNetErrorKind.InvalidArgument, $"Tensor '{name}'{tensor.Shape} holds {tensor.Volume} values, not {values.Length}.", name);
        Debugger.Invoke(() => { _replica!.Write(tensor, values); return 0; }, cancel);
    }

    private Tensor Target(string name, bool gradient)
    {
        var tensor = Tensor(name);
        if (!gradient) return tensor;
        return tensor.Gradient ?? throw new ClNetException("NoGradient", ClNetErrorKind.ObjectNotFound, $"Tensor '{name}' has no gradient in this training.", name);
    }

    /// <summary>The optimizer's settings and the iteration count, as of the next step boundary.</summary>
    public IReadOnlyList<Hyperparameter> Hyperparameters(CancellationToken cancel = default) =>
        Debugger.Invoke(() => (IReadOnlyList<Hyperparameter>)Settings().Select(s => new Hyperparameter(s.Name, s.Get(), s.Description)).ToList(), cancel);

    private IEnumerable<Setting> Settings() => _optimizer!.Settings.Append(
        new Setting("IterativeOptimizer.max_epochs", "epochs to train", () => Epochs, v => Volatile.Write(ref _epochs, (int)v), v => v >= 1 && v == Math.Floor(v)));

    /// <summary>Changes one hyper-parameter from the next step on; returns the old and new values.</summary>
    public HyperparameterChange SetHyperparameter(string name, Func<double, double> change, CancellationToken cancel = default) =>
        Debugger.Invoke(() =>
        {
            var settings = Settings().ToList();
            var setting = settings.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ClNetException("UnknownHyperparameter", ClNetErrorKind.ObjectNotFound,
                    $"There is no hyper-parameter '{name}'. Known: {string.Join(", ", settings.Select(s => s.Name))}.", name);
            double old = setting.Get(), value = change(old);
            if (!double.IsFinite(value) || !setting.IsValid(value))
                throw new ClNetException("InvalidHyperparameter", ClNetErrorKind.InvalidArgument, $"{setting.Name} cannot be {value}.", setting.Name);
            setting.Set(value);
            return new HyperparameterChange(setting.Name, old, value);
        }, cancel);

    /// <summary>Profiles every node from the next step on (from the first step when the training has not started).</summary>
    public void StartProfiling(CancellationToken cancel = default)
    {
        lock (_stateGate)
            if (State == TrainingState.Created) { _profiling = true; return; }
        Debugger.Invoke(() => { EnableProfiler(); return 0; }, cancel);
    }

    private void EnableProfiler()
    {
        _profiler ??= new Profiler();
        _device!.Profiler = _profiler;
        if (Debugger.Position is { } here) _profiler.Enter(here.Name, here.Type);   // enabled while paused mid-step
    }

    /// <summary>Stops recording; what was recorded stays for <see cref="Profile"/>.</summary>
    public void StopProfiling(CancellationToken cancel = default) =>
        Debugger.Invoke(() => { _device!.Profiler = null; _profiler?.Resolve(); return 0; }, cancel);

    /// <summary>The profile so far: one entry per node, largest first (empty when nothing was profiled).</summary>
    public IReadOnlyList<ProfileEntry> Profile(CancellationToken cancel = default)
    {
        lock (_stateGate)
            if (State != TrainingState.Running) return _profiler?.Entries() ?? Array.Empty<ProfileEntry>();
        return Debugger.Invoke(() => { _profiler?.Resolve(); return _profiler?.Entries() ?? Array.Empty<ProfileEntry>(); }, cancel);
    }

    /// <summary>Rebuilds the kernels from these sources at a step boundary; a build error leaves the running kernels in place.</summary>
    public KernelReload ReloadKernels(KernelSources sources, CancellationToken cancel = default) =>
        Debugger.Invoke(() =>
        {
            var library = _device!.Rebuild(sources);
            return new KernelReload(Device.Name, sources.Origin, library.Names.Count, library.BuildMilliseconds, library.FromCache);
        }, cancel);

    /// <summary>Copies the device's parameters to the model now (at a step boundary or where paused).</summary>
    public void SyncParameters(CancellationToken cancel = default) =>
        Debugger.Invoke(() => { _replica!.Download(Model.Parameters); return 0; }, cancel);

    /// <summary>Replaces parameters in the model and on the device; nothing changes when a name or size is wrong.</summary>
    public void ReplaceParameters(IReadOnlyDictionary<string, float[]> values, string source, CancellationToken cancel = default) =>
        Debugger.Invoke(() =>
        {
            Model.Parameters.Replace(values, source);
            _replica!.Upload(Model.Parameters);
            return 0;
        }, cancel);
}
