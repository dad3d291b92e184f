using ClNet.Engine;
using Xunit;

/// <summary>
/// One device context shared by every test that runs kernels: building the kernels costs about a
/// second, and a context is used by one thread at a time, so these tests run one after another.
/// </summary>
public sealed class DeviceFixture : IDisposable
{
    public DeviceContext Device { get; } = new(DeviceCatalog.Get(0));

    public void Dispose() => Device.Dispose();
}

[CollectionDefinition("device")]
public sealed class DeviceCollection : ICollectionFixture<DeviceFixture> { }
