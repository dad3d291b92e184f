using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>
/// The base of the cmdlets that act on a training: -Job (also from the pipeline), -Session, or
/// else the most recently started training in this runspace. Ctrl+C cancels a request that waits
/// for a step boundary.
/// </summary>
public abstract class TrainingCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>The training job to act on.</summary>
    [Parameter(ValueFromPipeline = true)]
    public TrainingJob? Job { get; set; }

    /// <summary>The training session to act on (a job's Session property).</summary>
    [Parameter]
    public Session? Session { get; set; }

    protected CancellationToken Cancel => _stop.Token;

    /// <summary>The training to act on, or a terminating error when there is none.</summary>
    protected Session Training()
    {
        var session = Session ?? Job?.Session ?? LatestTraining.Get();
        if (session is null)
            ThrowTerminatingError(new ErrorRecord(new InvalidOperationException("No training was started in this session: start one with Start-ClNetTraining, or pass -Job or -Session."),
                "NoTraining", ErrorCategory.ObjectNotFound, null));
        return session!;
    }

    /// <summary>Runs an action against the training; engine errors become errors of this cmdlet.</summary>
    protected void Act(Action<Session> action, object? target = null)
    {
        var session = Training();
        this.Try(() => action(session), target);
    }

    protected override void StopProcessing() => _stop.Cancel();
}

/// <summary>A training cmdlet that may also act on a model that is not training (its saved tensors, its graph).</summary>
public abstract class TrainingOrModelCmdlet : TrainingCmdlet
{
    /// <summary>A model: its training when it has one, otherwise its parameters and graph as they are.</summary>
    [Parameter]
    public Model? Model { get; set; }

    /// <summary>The running training to use, or null to use the model itself.</summary>
    protected Session? RunningTraining()
    {
        if (Model is not null && Job is null && Session is null)
            return Model.Training is { State: TrainingState.Running } live ? live : null;
        var session = Training();
        return session.State == TrainingState.Running ? session : null;
    }

    /// <summary>The model whose stored values stand in when no training runs.</summary>
    protected Model StoredModel() => Model ?? Training().Model;

    /// <summary>A saved tensor of a model that is not training; other tensors live on the device only while it trains.</summary>
    protected TensorValues StoredValues(string name, string? slice, bool gradient, bool reshape)
    {
        var model = StoredModel();
        var tensor = model.Graph.TryGet(name) is { IsSaved: true } saved && !gradient ? saved
            : throw new ClNetException("TensorNotStored", ClNetErrorKind.ObjectNotFound,
                $"Model {model.Name} is not training, so only its parameters are at hand; '{name}'{(gradient ? "'s gradient" : "")} lives on the device during training.", name);
        return new TensorValues(tensor, Engine.Slice.Parse(slice, tensor, reshape), model.Parameters.Values(name));
    }
}
