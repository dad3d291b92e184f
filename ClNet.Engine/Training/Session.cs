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
/// One training run of a model on one or more devices (and, under MPI, one rank of several).
/// <see cref="Run"/> trains on the calling thread. Each step is enqueued whole on every device
/// (data, forward, backward, update) without waiting; with several replicas the gradients are
/// averaged between the backward pass and the update (<see cref="GradientExchange"/>), so all
/// replicas apply the same update. The queues are drained only when a progress record reads the
/// running sums, or when the debugger stops or serves a request. Each epoch ends with a pass over
/// the test set where there is one. Cancelling stops at a step boundary. The model's parameters are
/// written back at the end of every epoch and when the run ends, however it ends. Other threads
/// reach the running session only through <see cref="Debugger"/>.
/// </summary>
public sealed class Session
{
    private const int MaxPendingEvents = 50_000;

    private readonly object _stateGate = new();
    private int _epochs;
    private List<Worker> _workers = new();
    private bool _profiling;

    public Model Model { get; }
    public TrainingOptions Options { get; }
    public TrainingState State { get; private set; } = TrainingState.Created;
    public IReadOnlyList<DeviceInfo> Devices { get; }
    public DeviceInfo Device => Devices[0];
    public MpiWorld? Mpi { get; }

    /// <summary>The graph of the first replica (all replicas have the same nodes and parameters).</summary>
    public ModelGraph ModelGraph { get; }
    public Debugger Debugger { get; } = new();

    /// <summary>Epochs to train; Set-ClNetHyperparameter IterativeOptimizer.max_epochs changes it while the training runs.</summary>
    public int Epochs => Volatile.Read(ref _epochs);
    /// <summary>The global batch: split between the ranks, then between this rank's devices.</summary>
    public int BatchSize { get; }
    public int Seed { get; }
    public float LearningRate { get; }
    public float Momentum { get; }
    public float WeightDecay { get; }
    public string OptimizerName { get; }
    public float ClipNorm { get; }

    /// <summary>This process's rows of every global batch, per device: (offset in the global batch, rows).</summary>
    public IReadOnlyList<(int Offset, int Rows)> Shares { get; }

    /// <summary>Host time spent averaging gradients between replicas, and how many times.</summary>
    public TimeSpan ExchangeTime { get; private set; }
    public long Exchanges { get; private set; }

    /// <summary>Raised on the training thread for every record.</summary>
    public event Action<TrainingProgress>? Progress;

    /// <summary>Checks the options and the devices and builds the graph now, so that a bad value fails before any work starts.</summary>
    public Session(Model model, TrainingOptions options)
    {
        options.Validate();
        Model = model;
        Options = options;
        Devices = options.DeviceList.Select(DeviceCatalog.Get).ToList();
        Mpi = options.Distributed ? MpiWorld.Open() : null;
        _epochs = options.Epochs ?? model.Defaults.Epochs;
        BatchSize = options.BatchSize ?? model.Defaults.BatchSize;
        Seed = options.Seed ?? model.Seed;
        LearningRate = (float)(options.LearningRate ?? model.Defaults.LearningRate);
        Momentum = (float)(options.Momentum ?? model.Defaults.Momentum);
        WeightDecay = (float)(options.WeightDecay ?? model.Defaults.WeightDecay);
        OptimizerName = string.Equals(options.Optimizer ?? model.Defaults.Optimizer, "Adam", StringComparison.OrdinalIgnoreCase) ? "Adam" : "SGD";
        ClipNorm = (float)(options.ClipNorm ?? model.Defaults.ClipNorm);

        var (rankOffset, rankRows) = Split(0, BatchSize, Mpi?.Size ?? 1)[Mpi?.Rank ?? 0];
        Shares = Split(rankOffset, rankRows, Devices.Count);
        if (Shares.Any(s => s.Rows == 0))
            throw new ClNetException("BatchTooSmall", ClNetErrorKind.InvalidArgument,
                $"A batch of {BatchSize} cannot be split between {Devices.Count * (Mpi?.Size ?? 1)} replicas: each needs at least one row.", BatchSize);
        ModelGraph = model.BuildGraph(Shares[0].Rows);
        Debugger.SetPoints(OptimizerName == "Adam" ? ExecutionPoint.Plan(ModelGraph, "Adam", "AdamUpdater") : ExecutionPoint.Plan(ModelGraph));
        _profiling = options.Profile;
    }

    /// <summary>Splits rows [offset, offset + rows) into parts that differ by at most one row.</summary>
    private static IReadOnlyList<(int Offset, int Rows)> Split(int offset, int rows, int parts) =>
        Enumerable.Range(0, parts).Select(i => (offset + i * (rows / parts) + Math.Min(i, rows % parts), rows / parts + (i < rows % parts ? 1 : 0))).ToList();

    public Graph Graph => ModelGraph.Graph;

    /// <summary>Whether this process reports and writes files: always, except on ranks other than 0 of an MPI job.</summary>
    public bool IsReporter => Mpi is null || Mpi.Rank == 0;

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
            foreach (var w in _workers) w.Profiler?.Resolve();
            Model.EndTraining(this);
        }
    }

    private void Train(CancellationToken cancel)
    {
        var workers = new List<Worker>();
        try
        {
            for (int d = 0; d < Devices.Count; d++)
            {
                var (offset, rows) = Shares[d];
                var graph = d == 0 ? ModelGraph : Model.BuildGraph(rows);
                workers.Add(OnDevice(d, () => new Worker(d, Devices[d], Options.KernelCache, graph, Model.Data!, Seed, new Shard(offset, BatchSize),
                    r => Optimizer.Create(OptimizerName, r, LearningRate, Momentum, WeightDecay, ClipNorm), Model.Parameters)));
            }
            _workers = workers;
            if (_profiling) EnableProfiler();
            Loop(workers, cancel);
        }
        catch (ClNetException failure) when (failure.ErrorId == "DeviceFailed" && workers.Count > 1)
        {
            // the other replicas hold the last complete step: keep it in the model
            foreach (var w in workers.Where(w => !ReferenceEquals(w.Device, failure.Target)))
            {
                try { w.Replica.Download(Model.Parameters); break; }
                catch (ClNetException) { }
            }
            throw;
        }
        finally
        {
            foreach (var w in workers) w.Dispose();
        }
    }

    /// <summary>Runs work on one device; an OpenCL error there ends the training naming the device.</summary>
    private T OnDevice<T>(int device, Func<T> work)
    {
        try { return work(); }
        catch (ClNetException e) when (e.Kind == ClNetErrorKind.DeviceError && Devices.Count > 1)
        {
            throw new ClNetException("DeviceFailed", ClNetErrorKind.DeviceError, $"Device [{Options.DeviceList[device]}] {Devices[device].Name} failed: {e.Message}", Devices[device], e);
        }
    }

    private void OnEach(IReadOnlyList<Worker> workers, Action<Worker> work)
    {
        foreach (var w in workers) OnDevice(w.Index, () => { work(w); return 0; });
    }

    private void Loop(List<Worker> workers, CancellationToken cancel)
    {
        var model = ModelGraph;
        var exchange = new GradientExchange(workers, Mpi);
        var points = Debugger.Points;
        int stepsPerEpoch = Math.Min(Options.StepsPerEpoch ?? workers[0].Feed.StepsPerEpoch, workers[0].Feed.StepsPerEpoch);
        long iteration = 0;
        var clock = Stopwatch.StartNew();
        var exchangedBefore = TimeSpan.Zero;
        double? ExchangeMilliseconds(int steps)
        {
            if (!exchange.Needed || steps == 0) return null;
            double ms = (exchange.Elapsed - exchangedBefore).TotalMilliseconds / steps;
            exchangedBefore = exchange.Elapsed;
            return ms;
        }
        void Drain() => OnEach(workers, w => w.Context.Finish());

        void At(ExecutionPoint point)
        {
            foreach (var w in workers) w.Profiler?.Enter(point.Name, point.Type);
            Debugger.AtPoint(point, Drain, cancel);
        }

        try
        {
            for (int epoch = 0; epoch < Epochs && !cancel.IsCancellationRequested; epoch++)
            {
                var epochStart = clock.Elapsed;
                var reportStart = epochStart;
                double[] epochSums = new double[Worker.Slots];
                int sinceReport = 0, step = 0;
                var host = new Stopwatch();
                for (; step < stepsPerEpoch && !cancel.IsCancellationRequested; step++)
                {
                    host.Start();
                    int p = 0;
                    At(points[p++]);
                    OnEach(workers, w => w.Feed.LoadTrain(epoch, step));
                    for (int n = 0; n < model.Graph.Nodes.Count; n++)
                    {
                        At(points[p++]);
                        OnEach(workers, w => w.Model.Graph.Nodes[n].Op.Forward(w.Replica, w.Model.Graph.Nodes[n]));
                    }
                    OnEach(workers, w => w.Accumulate(Worker.LossSum, w.Model.Correct, Worker.CorrectSum));
                    for (int b = 0; b < model.Graph.Backward.Count; b++)
                    {
                        At(points[p++]);
                        OnEach(workers, w => w.Model.Graph.Backward[b].Forward.Op.Backward(w.Replica, w.Model.Graph.Backward[b]));
                    }
                    if (exchange.Needed) exchange.Run((w, work) => OnDevice(w.Index, () => { work(); return 0; }));
                    At(points[p]);
                    OnEach(workers, w =>
                    {
                        w.Optimizer.Step(w.Replica);
                        w.Replica.Step++;
                        w.Context.Flush();
                    });
                    host.Stop();
                    iteration++;
                    sinceReport++;

                    if (iteration == 1 || (step + 1) % Options.ReportEvery == 0 || step + 1 == stepsPerEpoch)
                    {
                        var s = ReadSums(workers);   // waits for the queues
                        for (int i = 0; i < s.Length; i++) epochSums[i] += s[i];
                        var now = clock.Elapsed;
                        Report(new TrainingProgress
                        {
                            Kind = "Step", Epoch = epoch + 1, Step = step + 1, Iteration = iteration,
                            Loss = s[Worker.LossSum] / Math.Max(s[Worker.LossCount], 1),
                            Accuracy = model.Correct is null ? null : s[Worker.CorrectSum] / Math.Max(s[Worker.LossCount], 1),
                            SamplesPerSecond = sinceReport * BatchSize / (now - reportStart).TotalSeconds,
                            AllReduceMilliseconds = ExchangeMilliseconds(sinceReport),
                            HostMillisecondsPerStep = host.Elapsed.TotalMilliseconds / sinceReport,
                            Elapsed = now, PercentComplete = 100.0 * iteration / ((long)Epochs * stepsPerEpoch),
                        });
                        reportStart = clock.Elapsed;
                        sinceReport = 0;
                        host.Reset();
                    }
                    else if (workers[0].Profiler?.Pending > MaxPendingEvents)
                    {
                        Drain();
                        foreach (var w in workers) w.Profiler!.Resolve();
                    }
                    Debugger.AtStepBoundary(Drain);
                }
                if (sinceReport > 0) ReadSums(workers);   // a cancelled epoch's last steps
                OnDevice(0, () => { workers[0].Replica.Download(Model.Parameters); return 0; });
                if (step < stepsPerEpoch) break;

                var trained = clock.Elapsed;
                var (testLoss, testAccuracy) = workers[0].Feed.TestSteps > 0 ? Validate(workers[0], cancel) : (null, null);
                Report(new TrainingProgress
                {
                    Kind = "Epoch", Epoch = epoch + 1, Step = step, Iteration = iteration,
                    Loss = epochSums[Worker.LossSum] / Math.Max(epochSums[Worker.LossCount], 1),
                    Accuracy = model.Correct is null ? null : epochSums[Worker.CorrectSum] / Math.Max(epochSums[Worker.LossCount], 1),
                    TestLoss = testLoss, TestAccuracy = testAccuracy,
                    SamplesPerSecond = step * BatchSize / (trained - epochStart).TotalSeconds,
                    AllReduceMilliseconds = exchange.Needed ? exchange.Elapsed.TotalMilliseconds / Math.Max(exchange.Exchanges, 1) : null,
                    Elapsed = clock.Elapsed, PercentComplete = 100.0 * iteration / ((long)Epochs * stepsPerEpoch),
                });
                Debugger.AtStepBoundary(Drain);
            }
        }
        finally
        {
            ExchangeTime = exchange.Elapsed;
            Exchanges = exchange.Exchanges;
        }
    }

    /// <summary>The running sums of every replica (and every rank), added up.</summary>
    private double[] ReadSums(IReadOnlyList<Worker> workers)
    {
        var total = new double[Worker.Slots];
        foreach (var w in workers)
        {
            var s = OnDevice(w.Index, w.ReadSums);
            for (int i = 0; i < total.Length; i++) total[i] += s[i];
        }
        foreach (var w in workers) w.Profiler?.Resolve();
        if (Mpi is { Size: > 1 } mpi)
        {
            var shared = total.Select(v => (float)v).ToArray();
            mpi.SumInPlace(shared);
            total = shared.Select(v => (double)v).ToArray();
        }
        return total;
    }

    /// <summary>A forward pass over the whole test set on the first replica, in inference mode; only the real rows of the last batch count.</summary>
    private (double?, double?) Validate(Worker worker, CancellationToken cancel)
    {
        var (model, replica, feed) = (worker.Model, worker.Replica, worker.Feed);
        replica.IsTraining = false;
        worker.Profiler?.Enter("(validation)", "Validation");
        try
        {
            for (int step = 0; step < feed.TestSteps; step++)
            {
                if (cancel.IsCancellationRequested) return (null, null);
                feed.LoadTest(step);
                replica.Forward();
                worker.Accumulate(Worker.TestLossSum, model.Correct, Worker.TestCorrectSum);
                worker.Context.Flush();
            }
        }
        finally
        {
            replica.IsTraining = true;
            replica.ActiveRows = null;
        }
        var s = OnDevice(worker.Index, worker.ReadSums);
        worker.Profiler?.Resolve();
        double samples = Math.Max(s[Worker.TestCount], 1);
        return (s[Worker.TestLossSum] / samples, model.Correct is null ? null : s[Worker.TestCorrectSum] / samples);
    }

    private void Report(TrainingProgress record)
    {
        int characters = ModelGraph.CharactersPerSample;
        Progress?.Invoke(record with
        {
            Model = Model.Name,
            Device = string.Join(", ", Devices.Select(d => d.Name)) + (Mpi is { Size: > 1 } mpi ? $" (rank {mpi.Rank} of {mpi.Size})" : ""),
            Devices = Devices.Count * (Mpi?.Size ?? 1),
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

    /// <summary>The replica on the <paramref name="device"/>-th device of this training (0 for the first).</summary>
    private Worker On(int device) => device >= 0 && device < _workers.Count ? _workers[device]
        : throw new ClNetException("DeviceIndexOutOfRange", ClNetErrorKind.InvalidArgument,
            $"This training runs on {Devices.Count} device(s); replica {device} does not exist (replicas count from 0).", device);

    private static Tensor Same(Worker w, Tensor t) => w.Model.Graph[t.Name];

    /// <summary>Reads a tensor (or its gradient) of one replica at a step boundary, or where the training is paused.</summary>
    public TensorValues ReadTensor(string name, string? slice, bool gradient = false, bool reshape = false, CancellationToken cancel = default, int device = 0)
    {
        var tensor = Target(name, gradient);
        var parsed = Slice.Parse(slice, tensor, reshape);
        var values = Debugger.Invoke(() => { var w = On(device); return w.Replica.Read(Same(w, tensor)); }, cancel);
        return new TensorValues(tensor, parsed, values);
    }

    /// <summary>Changes the elements of a slice at a step boundary, on every replica (or one); returns how many changed.</summary>
    public int WriteTensor(string name, string? slice, Func<float, float> change, bool gradient = false, bool reshape = false, CancellationToken cancel = default, int? device = null)
    {
        var tensor = Target(name, gradient);
        var parsed = Slice.Parse(slice, tensor, reshape);
        return Debugger.Invoke(() =>
        {
            foreach (var w in device is { } d ? new List<Worker> { On(d) } : _workers)
            {
                var target = Same(w, tensor);
                var values = w.Replica.Read(target);
                foreach (int offset in parsed.Offsets()) values[offset] = change(values[offset]);
                w.Replica.Write(target, values);
            }
            return parsed.Count;
        }, cancel);
    }

    /// <summary>Replaces a whole tensor on every replica at a step boundary.</summary>
    public void WriteTensor(string name, float[] values, CancellationToken cancel = default)
    {
        var tensor = Tensor(name);
        if (values.Length != tensor.Volume)
            throw new ClNetException("ValueCountMismatch", ClNetErrorKind.InvalidArgument, $"Tensor '{name}'{tensor.Shape} holds {tensor.Volume} values, not {values.Length}.", name);
        Debugger.Invoke(() => { foreach (var w in _workers) w.Replica.Write(Same(w, tensor), values); return 0; }, cancel);
    }

    private Tensor Target(string name, bool gradient)
    {
        var tensor = Tensor(name);
        if (!gradient) return tensor;
        return tensor.Gradient ?? throw new ClNetException("NoGradient", ClNetErrorKind.ObjectNotFound, $"Tensor '{name}' has no gradient in this training.", name);
    }

    /// <summary>The optimizer's settings and the iteration count, as of the next step boundary.</summary>
    public IReadOnlyList<Hyperparameter> Hyperparameters(CancellationToken cancel = default) =>
        Debugger.Invoke(() => (IReadOnlyList<Hyperparameter>)Settings(_workers[0]).Select(s => new Hyperparameter(s.Name, s.Get(), s.Description)).ToList(), cancel);

    private IEnumerable<Setting> Settings(Worker worker) => worker.Optimizer.Settings.Append(
        new Setting("IterativeOptimizer.max_epochs", "epochs to train", () => Epochs, v => Volatile.Write(ref _epochs, (int)v), v => v >= 1 && v == Math.Floor(v)));

    /// <summary>Changes one hyper-parameter, on every replica, from the next step on; returns the old and new values.</summary>
    public HyperparameterChange SetHyperparameter(string name, Func<double, double> change, CancellationToken cancel = default) =>
        Debugger.Invoke(() =>
        {
            var settings = Settings(_workers[0]).ToList();
            var setting = settings.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ClNetException("UnknownHyperparameter", ClNetErrorKind.ObjectNotFound,
                    $"There is no hyper-parameter '{name}'. Known: {string.Join(", ", settings.Select(s => s.Name))}.", name);
            double old = setting.Get(), value = change(old);
            if (!double.IsFinite(value) || !setting.IsValid(value))
                throw new ClNetException("InvalidHyperparameter", ClNetErrorKind.InvalidArgument, $"{setting.Name} cannot be {value}.", setting.Name);
            foreach (var w in _workers) Settings(w).Single(s => s.Name == setting.Name).Set(value);
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
        foreach (var w in _workers)
        {
            w.Profiler ??= new Profiler($"[{Options.DeviceList[w.Index]}] {w.Device.Name}");
            w.Context.Profiler = w.Profiler;
            if (Debugger.Position is { } here) w.Profiler.Enter(here.Name, here.Type);   // enabled while paused mid-step
        }
    }

    /// <summary>Stops recording; what was recorded stays for <see cref="Profile"/>.</summary>
    public void StopProfiling(CancellationToken cancel = default) =>
        Debugger.Invoke(() =>
        {
            foreach (var w in _workers)
            {
                w.Context.Profiler = null;
                w.Profiler?.Resolve();
            }
            return 0;
        }, cancel);

    /// <summary>
    /// The profile so far: one entry per node and device, largest first (empty when nothing was
    /// profiled); with <paramref name="byKernel"/> one per kernel of each node and device.
    /// </summary>
    public IReadOnlyList<ProfileEntry> Profile(CancellationToken cancel = default, bool byKernel = false)
    {
        IReadOnlyList<ProfileEntry> Entries()
        {
            var all = _workers.Where(w => w.Profiler is not null).SelectMany(w => w.Profiler!.Entries(byKernel)).ToList();
            double total = all.Sum(e => e.TotalMilliseconds);
            return all.Select(e => e with { Percent = total == 0 ? 0 : 100 * e.TotalMilliseconds / total }).OrderByDescending(e => e.TotalMilliseconds).ToList();
        }
        lock (_stateGate)
            if (State != TrainingState.Running) return Entries();
        return Debugger.Invoke(() =>
        {
            foreach (var w in _workers) w.Profiler?.Resolve();
            return Entries();
        }, cancel);
    }

    /// <summary>Rebuilds the kernels of every device from these sources at a step boundary; a build error leaves the running kernels in place.</summary>
    public IReadOnlyList<KernelReload> ReloadKernels(KernelSources sources, CancellationToken cancel = default) =>
        Debugger.Invoke(() => (IReadOnlyList<KernelReload>)_workers.Select(w =>
        {
            var library = w.Context.Rebuild(sources);
            return new KernelReload(w.Device.Name, sources.Origin, library.Names.Count, library.BuildMilliseconds, library.FromCache);
        }).ToList(), cancel);

    /// <summary>Copies the device's parameters to the model now (at a step boundary or where paused).</summary>
    public void SyncParameters(CancellationToken cancel = default) =>
        Debugger.Invoke(() => { _workers[0].Replica.Download(Model.Parameters); return 0; }, cancel);

    /// <summary>Replaces parameters in the model and on every device; nothing changes when a name or size is wrong.</summary>
    public void ReplaceParameters(IReadOnlyDictionary<string, float[]> values, string source, CancellationToken cancel = default) =>
        Debugger.Invoke(() =>
        {
            Model.Parameters.Replace(values, source);
            foreach (var w in _workers) w.Replica.Upload(Model.Parameters);
            return 0;
        }, cancel);
}
