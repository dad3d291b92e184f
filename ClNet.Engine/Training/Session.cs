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
/// only when a progress record reads the running loss. Cancelling stops at a step boundary. The
/// model's parameters are written back at the end of every epoch and when the run ends, however it ends.
/// </summary>
public sealed class Session
{
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
        var (graph, data) = Model.BuildGraph(BatchSize);
        using var device = new DeviceContext(Device, Options.KernelCache);
        using var replica = new Replica(graph, device);
        using var sgd = new Sgd(replica, LearningRate, Momentum, WeightDecay);
        using var lossSum = device.Allocate(1, "loss_sum");
        replica.Upload(Model.Parameters);

        var loss = graph.Loss!;
        int stepsPerEpoch = Math.Min(Options.StepsPerEpoch ?? data.StepsPerEpoch, data.StepsPerEpoch);
        long totalSteps = (long)Epochs * stepsPerEpoch, iteration = 0;
        var clock = Stopwatch.StartNew();
        var accumulate = device.Kernels["accumulate_scalar"];

        for (int epoch = 0; epoch < Epochs && !cancel.IsCancellationRequested; epoch++)
        {
            var epochStart = clock.Elapsed;
            double epochLoss = 0;
            int sinceReport = 0, step = 0;
            var reportStart = clock.Elapsed;
            for (; step < stepsPerEpoch && !cancel.IsCancellationRequested; step++)
            {
                data.Load(replica, epoch, step, Seed);
                replica.Forward();
                device.Launch(accumulate.Set(0, replica[loss]).Set(1, lossSum).Set(2, 1f), 1);
                replica.Backward();
                sgd.Step(replica);
                device.Flush();
                iteration++;
                sinceReport++;

                if (iteration == 1 || (step + 1) % Options.ReportEvery == 0 || step + 1 == stepsPerEpoch)
                {
                    double meanLoss = ReadAndReset(device, lossSum) / sinceReport;   // waits for the queue
                    epochLoss += meanLoss * sinceReport;
                    var now = clock.Elapsed;
                    Report("Step", epoch, step + 1, iteration, meanLoss, sinceReport * BatchSize / (now - reportStart).TotalSeconds, now, totalSteps);
                    reportStart = now;
                    sinceReport = 0;
                }
            }
            if (sinceReport > 0) epochLoss += ReadAndReset(device, lossSum);   // a cancelled epoch's last steps
            replica.Download(Model.Parameters);
            if (step == stepsPerEpoch)
            {
                var now = clock.Elapsed;
                Report("Epoch", epoch, step, iteration, epochLoss / step, step * BatchSize / (now - epochStart).TotalSeconds, now, totalSteps);
            }
        }
    }

    private static double ReadAndReset(DeviceContext device, DeviceBuffer total)
    {
        var value = new float[1];
        device.Read(total, value);
        device.Fill(total, 0f);
        return value[0];
    }

    private void Report(string kind, int epoch, int step, long iteration, double loss, double samplesPerSecond, TimeSpan elapsed, long totalSteps) =>
        Progress?.Invoke(new TrainingProgress
        {
            Model = Model.Name,
            Kind = kind,
            Epoch = epoch + 1,
            Step = step,
            Iteration = iteration,
            Loss = loss,
            SamplesPerSecond = samplesPerSecond,
            Elapsed = elapsed,
            PercentComplete = Math.Min(100.0, 100.0 * iteration / totalSteps),
            Device = Device.Name,
        });
}
