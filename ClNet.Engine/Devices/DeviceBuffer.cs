namespace ClNet.Engine;

/// <summary>
/// A float buffer on one device. Every allocation carries <see cref="Padding"/> spare floats at the
/// end so that kernels may read two whole float16 vectors past the last element without faulting;
/// the extra lanes are never stored.
/// </summary>
public sealed class DeviceBuffer : IDisposable
{
    public const int Padding = 32;

    internal nint Handle { get; private set; }
    public int Length { get; }
    public string Name { get; }
    public long Bytes => (long)Length * sizeof(float);

    internal DeviceBuffer(nint handle, int length, string name)
    {
        Handle = handle;
        Length = length;
        Name = name;
    }

    public void Dispose()
    {
        if (Handle != 0) OpenCl.Api.ReleaseMemObject(Handle);
        Handle = 0;
    }

    public override string ToString() => $"{Name}[{Length}]";
}
