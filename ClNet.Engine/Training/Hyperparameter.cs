namespace ClNet.Engine;

/// <summary>A setting of a running training that may change between steps, named as clnet names it.</summary>
public sealed record Hyperparameter(string Name, double Value, string Description);

/// <summary>What Set-ClNetHyperparameter did.</summary>
public sealed record HyperparameterChange(string Name, double OldValue, double NewValue);

/// <summary>The result of rebuilding a running session's kernels.</summary>
public sealed record KernelReload(string Device, string Origin, int Kernels, double BuildMilliseconds, bool FromCache);
