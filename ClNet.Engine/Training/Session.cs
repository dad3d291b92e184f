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
/// only when a progress record reads the running sums. Each epoch ends with a pass over the test
/// set where there is one. Cancelling stops at a step boundary. The model's parameters are written
/// back at the end of every epoch and when the run ends, however it ends.
/// </summary>
public sealed class Session
{
    // slots of the device-side running sums read by each report
    private const int LossSum = 0, CorrectSum = 1, TestLossSum = 2, TestCorrectSum = 3, Slots = 4;

    public Model Model { get; }
    public TrainingOptions Options { get; }
    public TrainingState State { get; private set; } = TrainingState.Created;
    public DeviceInfo Device { get; }

    public int Epochs { get; }
    public int BatchSize { get; }
    public int Seed { get; }
    public float LearningRate { get; }
    public float Momentum { get; }
    public float WeightDecay { get; }

    /// <summary>Raised on the training thread for every record.</summary>
    public event Action<TrainingProgress>? Progress;

    /// <summary>Checks the options and the device now, so that a bad value fails before any work starts.</summary>
    public Session(Model model, TrainingOptions options)
    {
        options.Validate();
        Model = model;
        Options = options;
        Device = DeviceCatalog.Get(options.Device);
        Epochs = options.Epochs ?? model.Defaults.Epochs;
        BatchSize = options.BatchSize ?? model.Defaults.BatchSize;
        Seed = options.Seed ?? model.Seed;
        LearningRate = (float)(options.LearningRate ?? model.Defaults.LearningRate);
        Momentum = (float)(options.Momentum ?? model.Defaults.Momentum);
        WeightDecay = (float)(options.WeightDecay ?? model.Defaults.WeightDecay);
    }

    public void Run(CancellationToken cancel)
    {
        if (State != TrainingState.Created) throw new InvalidOperationException("A session runs once.");
        Model.BeginTraining(this);
        State = TrainingState.Running;
        try
        {
            Train(cancel);
            State = cancel.IsCancellationRequested ? TrainingState.Stopped : TrainingState.Completed;
        }
        catch
        {
            State = TrainingState.Failed;
            throw;
        }
        finally
        {
            Model.EndTraining(this);
        }
    }

    private void Train(CancellationToken cancel)
    {
        var model = Model.BuildGraph(BatchSize);
        using var device = new DeviceContext(Device, Options.KernelCache);
        using var replica = new Replica(model.Graph, device);
        using var feed = Model.Data!.Attach(replica, model.Input, model.Target, Seed);
        using var sgd = new Sgd(replica, LearningRate, Momentum, WeightDecay);
        using var sums = device.Allocate(Slots, "running_sums");
        replica.Upload(Model.Parameters);

        int stepsPerEpoch = Math.Min(Options.StepsPerEpoch ?? feed.StepsPerEpoch, feed.StepsPerEpoch);
        long totalSteps = (long)Epochs * stepsPerEpoch, iteration = 0;
        var clock = Stopwatch.StartNew();

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
                feed.LoadTrain(epoch, step);
                replica.Forward();
                Accumulate(model.Graph.Loss!, LossSum, 1f);
                if (model.Correct is not null) Accumulate(model.Correct, CorrectSum, 1f);
                replica.Backward();
                sgd.Step(replica);
                device.Flush();
                iteration++;
                sinceReport++;

                if (iteration == 1 || (step + 1) % Options.ReportEvery == 0 || step + 1 == stepsPerEpoch)
                {
                    var s = ReadAndReset(device, sums);   // waits for the queue
                    epochLoss += s[LossSum];
                    epochCorrect += s[CorrectSum];
                    var now = clock.Elapsed;
                    Report(new TrainingProgress
                    {
                        Kind = "Step", Epoch = epoch + 1, Step = step + 1, Iteration = iteration,
                        Loss = s[LossSum] / sinceReport,
                        Accuracy = model.Correct is null ? null : s[CorrectSum] / (sinceReport * BatchSize),
                        SamplesPerSecond = sinceReport * BatchSize / (now - reportStart).TotalSeconds,
                        Elapsed = now, PercentComplete = 100.0 * iteration / totalSteps,
                    });
                    reportStart = now;
                    sinceReport = 0;
                }
            }
            if (sinceReport > 0) ReadAndReset(device, sums);   // a cancelled epoch's last steps
            replica.Download(Model.Parameters);
            if (step < stepsPerEpoch) break;

            var trained = clock.Elapsed;
            var (testLoss, testAccuracy) = feed.TestSteps > 0 ? Validate(replica, feed, model, device, sums, Accumulate, cancel) : (null, null);
            Report(new TrainingProgress
            {
                Kind = "Epoch", Epoch = epoch + 1, Step = step, Iteration = iteration,
                Loss = epochLoss / step,
                Accuracy = model.Correct is null ? null : epochCorrect / ((double)step * BatchSize),
                TestLoss = testLoss, TestAccuracy = testAccuracy,
                SamplesPerSecond = step * BatchSize / (trained - epochStart).TotalSeconds,
                Elapsed = clock.Elapsed, PercentComplete = 100.0 * iteration / totalSteps,
            });
        }
    }

    /// <summary>A forward pass over the whole test set in inference mode; only the real rows of the last batch count.</summary>
    private static (double?, double?) Validate(Replica replica, IDataFeed feed, ModelGraph model, DeviceContext device, DeviceBuffer sums,
        Action<Tensor, int, float> accumulate, CancellationToken cancel)
    {
        replica.IsTraining = false;
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
        return (s[TestLossSum] / samples, model.Correct is null ? null : s[TestCorrectSum] / samples);
    }

    private static double[] ReadAndReset(DeviceContext device, DeviceBuffer sums)
    {
        var values = new float[Slots];
        device.Read(sums, values);
        device.Fill(sums, 0f);
        return values.Select(v => (double)v).ToArray();
    }

    private void Report(TrainingProgress record) =>
        Progress?.Invoke(record with { Model = Model.Name, Device = Device.Name, PercentComplete = Math.Min(100.0, record.PercentComplete) });
}
