using ClNet.Engine;
using Xunit;

// The GPU product kernel (kernels/tiled.cl) through the same checks as the CPU kernels: the matrix
// products against float64, and the ops built on them (dense, convolution, LSTM) against their
// references and finite differences. They run on the CPU device here, so CI checks the kernel a GPU
// would run without having one.

/// <summary>Switches the shared device to the tiled kernels for one test and back afterwards.</summary>
internal sealed class TiledVariantScope(DeviceContext device) : IDisposable
{
    private readonly GemmVariant _before = Switch(device);

    private static GemmVariant Switch(DeviceContext device)
    {
        var before = device.GemmVariant;
        device.GemmVariant = GemmVariant.Tiles;
        return before;
    }

    public void Dispose() => device.GemmVariant = _before;
}

[Collection("device")]
public sealed class TiledGemmTests(DeviceFixture fixture) : GemmTests(fixture), IDisposable
{
    private readonly TiledVariantScope _scope = new(fixture.Device);

    public void Dispose() => _scope.Dispose();
}

[Collection("device")]
public sealed class TiledOpTests(DeviceFixture fixture) : OpTests(fixture), IDisposable
{
    private readonly TiledVariantScope _scope = new(fixture.Device);

    public void Dispose() => _scope.Dispose();
}

[Collection("device")]
public sealed class TiledImageOpTests(DeviceFixture fixture) : ImageOpTests(fixture), IDisposable
{
    private readonly TiledVariantScope _scope = new(fixture.Device);

    public void Dispose() => _scope.Dispose();
}

[Collection("device")]
public sealed class TiledRecurrentTests(DeviceFixture fixture) : RecurrentTests(fixture), IDisposable
{
    private readonly TiledVariantScope _scope = new(fixture.Device);

    public void Dispose() => _scope.Dispose();
}
