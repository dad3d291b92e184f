using System.Collections.Concurrent;

namespace ClNet.Engine;

/// <summary>
/// clnet's interactive debugger for one session: breakpoints on execution points, pause, step and
/// resume, and a channel through which other threads run work on the training thread (reading or
/// writing tensors, changing hyper-parameters, reloading kernels). That work runs at the next step
/// boundary, or at once while the training is paused, so it always sees whole steps and never
/// races the device queue. The training thread pays one volatile read per point while nothing is armed.
/// </summary>
public sealed class Debugger
{
    private sealed class Request
    {
        public required Action Work { get; init; }
        public ManualResetEventSlim Done { get; } = new();
        public Exception? Error { get; set; }
    }

    private static readonly Action ResumeCommand = () => { }, StepCommand = () => { };

    private readonly object _gate = new();
    private readonly Dictionary<string, Breakpoint> _breakpoints = new(StringComparer.OrdinalIgnoreCase);
    private readonly BlockingCollection<Request> _requests = new();
    private IReadOnlyList<ExecutionPoint> _points = Array.Empty<ExecutionPoint>();
    private volatile bool _armed, _pauseRequested, _accepting = true;

    /// <summary>Raised on the training thread when it stops: where, and whether a breakpoint stopped it.</summary>
    public event Action<ExecutionPoint, bool>? Paused;
    public event Action? Resumed;

    private volatile bool _paused;
    private volatile ExecutionPoint? _position;

    public bool IsPaused => _paused;
    public ExecutionPoint? Position => _position;

    public IReadOnlyList<ExecutionPoint> Points => _points;

    public IReadOnlyList<Breakpoint> Breakpoints
    {
        get { lock (_gate) return _breakpoints.Values.ToList(); }
    }

    internal void SetPoints(IReadOnlyList<ExecutionPoint> points) => _points = points;

    /// <summary>Stops before the point with this name, alias or gradient; an unknown name is an error that lists the nearest ones.</summary>
    public Breakpoint SetBreakpoint(string name, int hitCount = 1, IReadOnlyList<ExecutionPoint>? points = null)
    {
        if (hitCount < 1) throw new ClNetException("InvalidHitCount", ClNetErrorKind.InvalidArgument, $"The hit count must be at least 1, not {hitCount}.", hitCount);
        points ??= _points;
        var point = points.FirstOrDefault(p => p.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
            ?? throw new ClNetException("UnknownBreakpointTarget", ClNetErrorKind.ObjectNotFound,
                $"No node of the training is named '{name}'. Nearest: {string.Join(", ", NameSuggestions.Nearest(name, points.SelectMany(p => p.Names)))}.", name);
        var breakpoint = new Breakpoint(point, hitCount);
        lock (_gate) _breakpoints[point.Name] = breakpoint;
        Rearm();
        return breakpoint;
    }

    public bool RemoveBreakpoint(string name)
    {
        bool removed;
        lock (_gate)
        {
            var key = _breakpoints.Values.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase))?.Name
                ?? _points.FirstOrDefault(p => p.Names.Contains(name, StringComparer.OrdinalIgnoreCase))?.Name;
            removed = key is not null && _breakpoints.Remove(key);
        }
        Rearm();
        return removed;
    }

    /// <summary>Pauses before the next point.</summary>
    public void Suspend()
    {
        _pauseRequested = true;
        Rearm();
    }

    /// <summary>Continues a paused training; nothing happens when it runs.</summary>
    public void Resume()
    {
        if (IsPaused) Post(ResumeCommand);
    }

    /// <summary>Runs to the next point and pauses there (pauses a running training at its next point).</summary>
    public void Step()
    {
        if (IsPaused) Post(StepCommand);
        else Suspend();
    }

    /// <summary>Runs work on the training thread at the next step boundary (at once when paused) and returns its result.</summary>
    public T Invoke<T>(Func<T> work, CancellationToken cancel = default)
    {
        T result = default!;
        var request = Post(() => result = work());
        try { request.Done.Wait(cancel); }
        catch (OperationCanceledException) { throw new ClNetException("RequestCancelled", ClNetErrorKind.InvalidOperation, "The request was cancelled before the training reached a step boundary."); }
        if (request.Error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(request.Error);
        return result;
    }

    private Request Post(Action work)
    {
        var request = new Request { Work = work };
        lock (_gate)
        {
            if (!_accepting)
                throw new ClNetException("TrainingNotRunning", ClNetErrorKind.InvalidOperation, "The training has ended; its tensors are no longer on the device.");
            _requests.Add(request);
        }
        return request;
    }

    private void Rearm()
    {
        lock (_gate) _armed = _pauseRequested || _breakpoints.Count > 0;
    }

    /// <summary>Training thread, before each point: stops there when a breakpoint or a pause asks for it.</summary>
    internal void AtPoint(ExecutionPoint point, Action drain, CancellationToken cancel)
    {
        if (!_armed) return;
        Breakpoint? breakpoint;
        lock (_gate) _breakpoints.TryGetValue(point.Name, out breakpoint);
        bool hit = breakpoint?.Hit() == true;
        if (!hit && !_pauseRequested) return;
        _pauseRequested = false;
        Rearm();
        drain();
        Pause(point, hit, cancel);
    }

    /// <summary>Training thread, between steps: runs the waiting requests on a drained queue.</summary>
    internal void AtStepBoundary(Action drain)
    {
        if (_requests.Count == 0) return;
        drain();
        while (_requests.TryTake(out var request)) Run(request);
    }

    private void Pause(ExecutionPoint point, bool atBreakpoint, CancellationToken cancel)
    {
        _position = point;
        _paused = true;
        Paused?.Invoke(point, atBreakpoint);
        try
        {
            while (true)
            {
                var request = _requests.Take(cancel);
                if (request.Work == StepCommand) Suspend();
                Run(request);
                if (request.Work == ResumeCommand || request.Work == StepCommand) break;
            }
        }
        catch (OperationCanceledException) { }   // stopped while paused: the trainer ends at the step boundary
        finally
        {
            _paused = false;
            _position = null;
            Resumed?.Invoke();
        }
    }

    private static void Run(Request request)
    {
        try { request.Work(); }
        catch (Exception e) { request.Error = e; }
        finally { request.Done.Set(); }
    }

    /// <summary>Training thread, when the session ends: later requests fail, waiting ones are answered.</summary>
    internal void Close()
    {
        lock (_gate) _accepting = false;
        while (_requests.TryTake(out var request))
        {
            request.Error = new ClNetException("TrainingNotRunning", ClNetErrorKind.InvalidOperation, "The training ended before the request could run.");
            request.Done.Set();
        }
    }
}
