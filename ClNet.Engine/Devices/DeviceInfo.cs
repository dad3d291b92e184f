namespace ClNet.Engine;

/// <summary>One OpenCL device as the user sees it. <see cref="Index"/> numbers devices across all platforms.</summary>
public sealed record DeviceInfo(
    int Index,
    int PlatformIndex,
    string Platform,
    string Name,
    string Type,
    uint ComputeUnits,
    ulong GlobalMemoryBytes,
    string OpenClVersion,
    string DriverVersion,
    string Vendor)
{
    internal nint PlatformHandle { get; init; }
    internal nint DeviceHandle { get; init; }

    public double GlobalMemoryGB => Math.Round(GlobalMemoryBytes / (1024.0 * 1024 * 1024), 1);

    public override string ToString() => $"[{Index}] {Name} ({Platform})";
}
