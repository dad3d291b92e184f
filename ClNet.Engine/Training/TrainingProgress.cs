namespace ClNet.Engine;

/// <summary>
/// One line of a training log, as clnet printed [epoch,iteration,speed] loss: every few steps
/// (Kind = Step) with the mean loss since the last record, and at the end of each epoch
/// (Kind = Epoch) with the epoch's mean loss and, where there is a test set, the test results.
/// </summary>
public sealed record TrainingProgress
{
    public string Model { get; init; } = "";
    public string Kind { get; init; } = "Step";
    /// <summary>1-based epoch.</summary>
    public int Epoch { get; init; }
    /// <summary>Steps done in this epoch.</summary>
    public int Step { get; init; }
    /// <summary>Steps done since the training started.</summary>
    public long Iteration { get; init; }
    public double Loss { get; init; }
    /// <summary>Fraction of training samples classified right since the last record (classifiers only).</summary>
    public double? Accuracy { get; init; }
    /// <summary>Mean loss over the test set (epoch records of models with a test set).</summary>
    public double? TestLoss { get; init; }
    /// <summary>Fraction of the test set classified right (epoch records of classifiers with a test set).</summary>
    public double? TestAccuracy { get; init; }
    public double SamplesPerSecond { get; init; }
    /// <summary>The loss in bits (character models: bits per character).</summary>
    public double? BitsPerCharacter { get; init; }
    /// <summary>Characters per second (character models).</summary>
    public double? CharactersPerSecond { get; init; }
    public TimeSpan Elapsed { get; init; }
    public double PercentComplete { get; init; }
    /// <summary>The device (or devices) the training runs on.</summary>
    public string Device { get; init; } = "";
    /// <summary>How many replicas share each batch (devices, times MPI ranks).</summary>
    public int Devices { get; init; } = 1;
    /// <summary>Host time per step spent walking the graph, setting arguments and enqueueing kernels (the devices work meanwhile).</summary>
    public double HostMillisecondsPerStep { get; init; }
    /// <summary>Host time per step spent averaging the replicas' gradients (several devices or ranks only).</summary>
    public double? AllReduceMilliseconds { get; init; }
}
