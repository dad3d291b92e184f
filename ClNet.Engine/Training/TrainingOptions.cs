namespace ClNet.Engine;

/// <summary>How to train; every null falls back to the model's defaults.</summary>
public sealed record TrainingOptions
{
    /// <summary>The first (or only) device.</summary>
    public int Device { get; init; }
    /// <summary>Several devices: a replica on each, the batch split between them. Null: just <see cref="Device"/>.</summary>
    public int[]? Devices { get; init; }
    /// <summary>Train as one rank of an MPI job (mpirun): the batch is split between the ranks too.</summary>
    public bool Distributed { get; init; }
    public int? Epochs { get; init; }
    public int? BatchSize { get; init; }
    /// <summary>Caps the batches of each epoch (a quick run over a large data set).</summary>
    public int? StepsPerEpoch { get; init; }
    public double? LearningRate { get; init; }
    public double? Momentum { get; init; }
    public double? WeightDecay { get; init; }
    /// <summary>SGD or Adam.</summary>
    public string? Optimizer { get; init; }
    /// <summary>Clip the global gradient norm to this value (0: no clipping).</summary>
    public double? ClipNorm { get; init; }
    public int? Seed { get; init; }
    /// <summary>A progress record every this many steps (and at the first step and each epoch's end).</summary>
    public int ReportEvery { get; init; } = 100;
    public KernelCache? KernelCache { get; init; }
    /// <summary>Profile from the first step (Start-ClNetProfile does it later).</summary>
    public bool Profile { get; init; }

    public IReadOnlyList<int> DeviceList => Devices is { Length: > 0 } list ? list : new[] { Device };

    /// <summary>Checks every value before anything starts; the error names the setting.</summary>
    public void Validate()
    {
        static void Positive(string name, int? value)
        {
            if (value is <= 0)
                throw new ClNetException("InvalidTrainingOption", ClNetErrorKind.InvalidArgument, $"{name} must be a positive number, not {value}.", name);
        }
        static void NonNegative(string name, double? value)
        {
            if (value is < 0 || (value is { } v && !double.IsFinite(v)))
                throw new ClNetException("InvalidTrainingOption", ClNetErrorKind.InvalidArgument, $"{name} must be a finite number of at least 0, not {value}.", name);
        }
        Positive(nameof(Epochs), Epochs);
        Positive(nameof(BatchSize), BatchSize);
        Positive(nameof(StepsPerEpoch), StepsPerEpoch);
        Positive(nameof(ReportEvery), ReportEvery);
        NonNegative(nameof(LearningRate), LearningRate);
        NonNegative(nameof(Momentum), Momentum);
        NonNegative(nameof(WeightDecay), WeightDecay);
        NonNegative(nameof(ClipNorm), ClipNorm);
        if (Optimizer is not null && !new[] { "SGD", "Adam" }.Contains(Optimizer, StringComparer.OrdinalIgnoreCase))
            throw new ClNetException("UnknownOptimizer", ClNetErrorKind.InvalidArgument, $"There is no optimizer named '{Optimizer}'. Known: SGD, Adam.", Optimizer);
        foreach (int device in DeviceList)
            if (device < 0)
                throw new ClNetException("DeviceIndexOutOfRange", ClNetErrorKind.InvalidArgument, $"Device index {device} is out of range: indexes start at 0.", device);
        if (DeviceList.Distinct().Count() != DeviceList.Count)
            throw new ClNetException("DuplicateDevice", ClNetErrorKind.InvalidArgument, $"The devices {string.Join(",", DeviceList)} list one twice.", DeviceList);
    }
}
