using ClNet.Engine;
using Xunit;

[Collection("device")]
public class DeviceTests
{
    private readonly DeviceContext _device;

    public DeviceTests(DeviceFixture fixture) => _device = fixture.Device;

    [Fact]
    public void ListsDevicesWithTheirProperties()
    {
        var devices = DeviceCatalog.List();
        Assert.NotEmpty(devices);
        for (int i = 0; i < devices.Count; i++) Assert.Equal(i, devices[i].Index);
        var d = devices[0];
        Assert.False(string.IsNullOrWhiteSpace(d.Name));
        Assert.False(string.IsNullOrWhiteSpace(d.Platform));
        Assert.Contains("OpenCL", d.OpenClVersion);
        Assert.True(d.ComputeUnits > 0);
        Assert.True(d.GlobalMemoryBytes > 0);
        Assert.Contains(d.Type, new[] { "CPU", "GPU", "Accelerator", "Other" });
    }

    [Fact]
    public void AnIndexOutOfRangeNamesTheIndexAndTheDevices()
    {
        var e = Assert.Throws<ClNetException>(() => DeviceCatalog.Get(99));
        Assert.Equal("DeviceIndexOutOfRange", e.ErrorId);
        Assert.Contains("99", e.Message);
        Assert.Contains(DeviceCatalog.List()[0].Name, e.Message);
    }

    /// <summary>Small buffers, and large ones (on a CPU device, in 2 MB pages of our own): allocated zeroed, written, read, filled.</summary>
    [Theory]
    [InlineData(37)]
    [InlineData(3_000_001)]
    public void BuffersRoundTripAndFill(int length)
    {
        using var buffer = _device.Allocate(length, "b");
        Assert.All(_device.Read(buffer), v => Assert.Equal(0f, v));
        var values = Enumerable.Range(0, length).Select(i => i * 0.5f).ToArray();
        _device.Write(buffer, values);
        Assert.Equal(values, _device.Read(buffer));
        _device.Fill(buffer, 3f);
        Assert.All(_device.Read(buffer), v => Assert.Equal(3f, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => _device.Write(buffer, new float[length + 1]));
    }

    [Fact]
    public void AFailedOpenClCallNamesTheKernelTheArgumentAndTheError()
    {
        var kernel = _device.Kernels["gemm_tiled"];
        var e = Assert.Throws<ClNetException>(() => kernel.Set(99, 1));
        Assert.Equal("OpenClError", e.ErrorId);
        Assert.Contains("clSetKernelArg(gemm_tiled, 99) failed: CL_INVALID_ARG_INDEX", e.Message);
        // the tiled kernel requires work-groups of 16x16
        e = Assert.Throws<ClNetException>(() => _device.Launch(kernel, 64, 64, 8, 8));
        Assert.Contains("clEnqueueNDRangeKernel 'gemm_tiled' (64x64) failed: CL_INVALID_WORK_GROUP_SIZE", e.Message);
    }

    [Fact]
    public void EveryKernelFileIsCompiled()
    {
        foreach (var name in new[] { "gemm_cols", "gemm_dot", "gemm_naive", "ew_add", "column_sum", "mse_forward", "softmax_nll_rows", "sgd_momentum", "synthetic_ratio" })
            Assert.Contains(name, _device.Kernels.Names);
        var e = Assert.Throws<ClNetException>(() => _device.Kernels["no_such_kernel"]);
        Assert.Equal("KernelNotFound", e.ErrorId);
    }
}

public class KernelBuildTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("clnet-test-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ABrokenKernelRaisesAnErrorWithTheBuildLog()
    {
        File.WriteAllText(Path.Combine(_folder, "broken.cl"), "__kernel void broken(__global float* x) { x[0] = undefined_name; }\n");
        var e = Assert.Throws<KernelBuildException>(() => new DeviceContext(DeviceCatalog.Get(0), KernelCache.Disabled, KernelSources.FromDirectory(_folder)));
        Assert.Contains("undefined_name", e.BuildLog);
        Assert.Contains("broken.cl", e.BuildLog);
        Assert.Contains(e.BuildLog, e.Message);
    }

    [Fact]
    public void CompiledProgramsAreCachedAndACorruptEntryIsRebuilt()
    {
        var cacheDir = Path.Combine(_folder, "cache");
        var cache = new KernelCache(cacheDir);
        File.WriteAllText(Path.Combine(_folder, "one.cl"), "__kernel void one(__global float* x) { x[get_global_id(0)] = 1.0f; }\n");
        var sources = KernelSources.FromDirectory(_folder);
        var device = DeviceCatalog.Get(0);

        using (var first = new DeviceContext(device, cache, sources)) Assert.False(first.Kernels.FromCache);
        var entry = Assert.Single(Directory.GetFiles(cacheDir));
        using (var second = new DeviceContext(device, cache, sources))
        {
            Assert.True(second.Kernels.FromCache);
            using var b = second.Allocate(4, "x");
            second.Launch(second.Kernels["one"].Set(0, b), 4);
            Assert.All(second.Read(b), v => Assert.Equal(1f, v));
        }

        File.WriteAllBytes(entry, new byte[] { 1, 2, 3 });
        using (var third = new DeviceContext(device, cache, sources)) Assert.False(third.Kernels.FromCache);

        using (var uncached = new DeviceContext(device, KernelCache.Disabled, sources)) Assert.False(uncached.Kernels.FromCache);
    }

    [Fact]
    public void TheCacheSettingMovesOrDisablesTheCache()
    {
        var previous = Environment.GetEnvironmentVariable(KernelCache.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(KernelCache.EnvironmentVariable, "off");
            Assert.Null(KernelCache.FromEnvironment().Directory);
            Environment.SetEnvironmentVariable(KernelCache.EnvironmentVariable, _folder);
            Assert.Equal(_folder, KernelCache.FromEnvironment().Directory);
            Environment.SetEnvironmentVariable(KernelCache.EnvironmentVariable, null);
            Assert.EndsWith(Path.Combine("clnet", "kernels"), KernelCache.FromEnvironment().Directory);
        }
        finally
        {
            Environment.SetEnvironmentVariable(KernelCache.EnvironmentVariable, previous);
        }
    }
}
