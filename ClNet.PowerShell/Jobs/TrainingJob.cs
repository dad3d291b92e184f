using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>
/// A training session as a PowerShell job: Get-Job lists it, Receive-Job returns its
/// TrainingProgress records (and its progress bar), Wait-Job waits for it, Stop-Job ends it at a
/// step boundary with the model keeping the steps done, Remove-Job disposes it.
/// </summary>
public sealed class TrainingJob : Job
{
    private readonly CancellationTokenSource _cancel = new();
    private Thread? _thread;
    private int _finished;   // set once: the worker and StopJob race to set the final state
    private volatile string _status = "starting";

    public Session Session { get; }
    public Model Model => Session.Model;
    public TrainingProgress? LastProgress { get; private set; }

    public TrainingJob(Session session, string command, string? name) : base(command, name)
    {
        Session = session;
        PSJobTypeName = "ClNetTraining";
        session.Debugger.Paused += OnPaused;
        session.Debugger.Resumed += OnResumed;
    }

    // The debugger's pauses show on the job: AtBreakpoint or Suspended, with the node in the status message.
    private void OnPaused(ExecutionPoint point, bool atBreakpoint)
    {
        _status = (atBreakpoint ? "at breakpoint " : "paused before ") + point.Name;
        if (Volatile.Read(ref _finished) == 0) SetJobState(atBreakpoint ? JobState.AtBreakpoint : JobState.Suspended);
    }

    private void OnResumed()
    {
        _status = "running";
        if (Volatile.Read(ref _finished) == 0) SetJobState(JobState.Running);
    }

    public override string Location => string.Join(", ", Session.Devices.Select(d => d.Name));
    public override string StatusMessage => _status;

    public override bool HasMoreData =>
        Output.Count > 0 || Error.Count > 0 || Progress.Count > 0 || Verbose.Count > 0 || Warning.Count > 0 || Information.Count > 0;

    internal void Start()
    {
        SetJobState(JobState.Running);
        _thread = new Thread(Run) { IsBackground = true, Name = "ClNetTraining-" + Id };
        _thread.Start();
    }

    private void Run()
    {
        Session.Progress += OnProgress;
        try
        {
            Session.Run(_cancel.Token);
            _status = Session.State.ToString().ToLowerInvariant();
            Progress.Add(ProgressRecords.Completed(Session));
            Finish(Session.State == TrainingState.Stopped ? JobState.Stopped : JobState.Completed);
        }
        catch (Exception e)
        {
            _status = "failed: " + e.Message;
            Error.Add(ClNetErrors.ToRecord(e, "TrainingFailed", Model.Name));
            Finish(JobState.Failed);
        }
        finally
        {
            Session.Progress -= OnProgress;
            Session.Debugger.Paused -= OnPaused;
            Session.Debugger.Resumed -= OnResumed;
        }
    }

    private void OnProgress(TrainingProgress p)
    {
        LastProgress = p;
        _status = ProgressRecords.Status(p, Session);
        Output.Add(PSObject.AsPSObject(p));
        Progress.Add(ProgressRecords.For(p, Session));
    }

    // PowerShell runs StateChanged handlers on the thread that sets the state; never set it under a lock.
    private void Finish(JobState state)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 0) SetJobState(state);
    }

    public override void StopJob()
    {
        if (Volatile.Read(ref _finished) == 1) return;
        _cancel.Cancel();
        // Stop-Job returns when the training has ended and written its parameters back.
        if (_thread is not null && _thread != Thread.CurrentThread) _thread.Join();
        Finish(JobState.Stopped);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _cancel.Cancel();
            // Receive-Job -AutoRemoveJob disposes the job from a StateChanged handler on the worker itself.
            if (_thread is not null && _thread != Thread.CurrentThread) _thread.Join();
            _cancel.Dispose();
        }
        base.Dispose(disposing);
    }
}
