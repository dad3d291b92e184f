using System.Collections.Concurrent;
using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>
/// Trains a model: as a background job (the default) that the job cmdlets understand, or in the
/// foreground with a progress bar (-Wait), writing the progress records to the pipeline.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "ClNetTraining", SupportsShouldProcess = true)]
[OutputType(typeof(TrainingJob), typeof(TrainingProgress))]
public sealed class StartClNetTrainingCommand : PSCmdlet
{
    private CancellationTokenSource? _foreground;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public Model Model { get; set; } = null!;

    /// <summary>One device index, or several: a replica on each, the batch split between them.</summary>
    [Parameter] [ValidateNotNullOrEmpty] [ValidateRange(0, int.MaxValue)] public int[] Device { get; set; } = { 0 };

    /// <summary>Train as one rank of an MPI job started with mpirun; only rank 0 reports and writes.</summary>
    [Parameter] public SwitchParameter Distributed { get; set; }
    [Parameter] [ValidateRange(1, int.MaxValue)] public int Epochs { get; set; }
    [Parameter] [ValidateRange(1, int.MaxValue)] public int BatchSize { get; set; }
    [Parameter] [ValidateRange(1, int.MaxValue)] public int StepsPerEpoch { get; set; }
    [Parameter] [ValidateRange(0.0, double.MaxValue)] public double LearningRate { get; set; }
    [Parameter] [ValidateRange(0.0, double.MaxValue)] public double Momentum { get; set; }
    [Parameter] [ValidateRange(0.0, double.MaxValue)] public double WeightDecay { get; set; }
    [Parameter] public int Seed { get; set; }
    [Parameter] [ValidateSet("SGD", "Adam")] public string? Optimizer { get; set; }
    [Parameter] [ValidateRange(0.0, double.MaxValue)] public double ClipNorm { get; set; }
    [Parameter] [ValidateRange(1, int.MaxValue)] public int ReportEvery { get; set; } = 100;

    /// <summary>The job's name, for Get-Job -Name.</summary>
    [Parameter] public string? Name { get; set; }

    /// <summary>Profile every node from the first step (as Start-ClNetProfile does later).</summary>
    [Parameter] public SwitchParameter Profile { get; set; }

    /// <summary>Train in the foreground with a progress bar and write the progress records.</summary>
    [Parameter] public SwitchParameter Wait { get; set; }

    protected override void ProcessRecord()
    {
        T? Bound<T>(string name, T value) where T : struct => MyInvocation.BoundParameters.ContainsKey(name) ? value : null;
        var options = new TrainingOptions
        {
            Device = Device[0],
            Devices = Device,
            Distributed = Distributed,
            Epochs = Bound(nameof(Epochs), Epochs),
            BatchSize = Bound(nameof(BatchSize), BatchSize),
            StepsPerEpoch = Bound(nameof(StepsPerEpoch), StepsPerEpoch),
            LearningRate = Bound(nameof(LearningRate), LearningRate),
            Momentum = Bound(nameof(Momentum), Momentum),
            WeightDecay = Bound(nameof(WeightDecay), WeightDecay),
            Seed = Bound(nameof(Seed), Seed),
            Optimizer = Optimizer,
            ClipNorm = Bound(nameof(ClipNorm), ClipNorm),
            ReportEvery = ReportEvery,
            Profile = Profile,
        };
        Session? session = null;
        if (!this.Try(() =>
            {
                if (Model.Training is not null)
                    throw new ClNetException("ModelBusy", ClNetErrorKind.InvalidOperation, $"Model {Model.Name} is already being trained; stop that job first.", Model.Name);
                session = new Session(Model, options);
            }, Model.Name)) return;
        if (!ShouldProcess($"model {Model.Name}", $"Train for {session!.Epochs} epoch(s) on {string.Join(", ", session.Devices.Select(d => d.Name))}")) return;

        LatestTraining.Register(session);
        if (Wait)
        {
            RunInForeground(session);
            return;
        }
        var job = new TrainingJob(session, MyInvocation.Line, Name);
        JobRepository.Add(job);
        job.Start();
        WriteObject(job);
    }

    private void RunInForeground(Session session)
    {
        using var cancel = new CancellationTokenSource();
        _foreground = cancel;
        var records = new BlockingCollection<TrainingProgress>();
        Exception? failure = null;
        session.Progress += records.Add;
        var worker = new Thread(() =>
        {
            try { session.Run(cancel.Token); }
            catch (Exception e) { failure = e; }
            finally { records.CompleteAdding(); }
        }) { IsBackground = true, Name = "ClNetTraining-foreground" };
        worker.Start();
        try
        {
            foreach (var p in records.GetConsumingEnumerable())
            {
                if (!session.IsReporter) continue;   // ranks other than 0 of an MPI job stay quiet
                WriteProgress(ProgressRecords.For(p, session));
                WriteObject(p);
            }
        }
        finally
        {
            cancel.Cancel();   // a no-op after a normal end; after Ctrl+C it stops at the next step
            worker.Join();
            _foreground = null;
        }
        if (session.IsReporter) WriteProgress(ProgressRecords.Completed(session));
        if (failure is not null) ThrowTerminatingError(ClNetErrors.ToRecord(failure, "TrainingFailed", Model.Name));
    }

    protected override void StopProcessing() => _foreground?.Cancel();
}
