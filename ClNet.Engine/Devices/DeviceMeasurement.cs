using System.Diagnostics;

namespace ClNet.Engine;

/// <summary>A matrix product's measured speed: shape and GFLOP/s.</summary>
public sealed record GemmSpeed(string Shape, string Use, double Milliseconds, double Gflops);

/// <summary>What Measure-ClNetDevice reports: the device's measured speeds, not its nominal ones.</summary>
public sealed record DeviceMeasurement(
    string Device,
    GemmVariant GemmKernels,
    double SgemmGflops,
    IReadOnlyList<GemmSpeed> ModelShapes,
    double BandwidthGBs,
    double LaunchLatencyMicroseconds,
    double QueuedLaunchMicroseconds,
    double KernelBuildMilliseconds,
    bool KernelsFromCache);

/// <summary>
/// Measures a device with ClNet's own kernels: SGEMM at 1024³ and at the shapes of the models,
/// copy bandwidth, and kernel launch costs (with a wait after each launch, and back to back).
/// Each figure is the median of several timed repetitions after a warm-up.
/// </summary>
public static class DeviceMeasurer
{
    private static readonly (int M, int N, int K, string Use)[] Shapes =
    {
        (6272, 50, 500, "LeNet-5 conv2 forward as im2col + product (GPU route; CPUs convolve directly)"),
        (32, 480, 2450, "LeNet-5 feature layer forward"),
        (65536, 16, 144, "WRN group 0 convolution forward as im2col + product (GPU route)"),
        (4128, 1024, 256, "CharRNN input projection, all steps"),
        (32, 1024, 256, "CharRNN recurrent product, one step (GPU route; CPUs fuse it with the cell)"),
        (128, 4096, 2, "MLP first layer"),
    };

    public static DeviceMeasurement Measure(DeviceInfo device, KernelCache? cache = null)
    {
        using var context = new DeviceContext(device, cache);
        double sgemm = Gemm(context, 1024, 1024, 1024).Gflops;
        var shapes = Shapes.Select(s => Gemm(context, s.M, s.N, s.K) with { Use = s.Use }).ToList();
        return new DeviceMeasurement(device.Name, context.GemmVariant, sgemm, shapes, Bandwidth(context), LaunchLatency(context, wait: true), LaunchLatency(context, wait: false),
            context.Kernels.BuildMilliseconds, context.Kernels.FromCache);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>Milliseconds per call: the median of 5 timed repetitions after one untimed call.</summary>
    private static double Time(DeviceContext context, Action work, int repetitions = 5)
    {
        work();
        context.Finish();
        return Median(Enumerable.Range(0, repetitions).Select(_ =>
        {
            var clock = Stopwatch.StartNew();
            work();
            context.Finish();
            return clock.Elapsed.TotalMilliseconds;
        }));
    }

    private static GemmSpeed Gemm(DeviceContext context, int m, int n, int k)
    {
        using var a = context.Allocate(m * k, "a");
        using var b = context.Allocate(k * n, "b");
        using var c = context.Allocate(m * n, "c");
        double ms = Time(context, () => Engine.Gemm.Enqueue(context, m, n, k, MatrixView.RowMajor(a, k), MatrixView.RowMajor(b, n), MatrixView.RowMajor(c, n)));
        return new GemmSpeed($"{m}x{n}x{k}", "square", ms, 2.0 * m * n * k / ms / 1e6);
    }

    /// <summary>Device-to-device copy of 64 MiB: bytes read plus bytes written per second.</summary>
    private static double Bandwidth(DeviceContext context)
    {
        const int floats = 16 << 20;
        using var source = context.Allocate(floats, "source");
        using var target = context.Allocate(floats, "target");
        double ms = Time(context, () => context.Copy(source, target, floats));
        return 2.0 * floats * sizeof(float) / ms / 1e6;
    }

    /// <summary>Microseconds per launch of a kernel that does nothing: waiting for each, or queued back to back.</summary>
    private static double LaunchLatency(DeviceContext context, bool wait)
    {
        using var buffer = context.Allocate(64, "noop");
        var kernel = context.Kernels["ew_axpby"].Set(0, 0).Set(1, 1f).Set(2, buffer).Set(3, 0f).Set(4, buffer);
        if (wait)
            return 1000 * Median(Enumerable.Range(0, 200).Select(_ =>
            {
                var clock = Stopwatch.StartNew();
                context.Launch(kernel, 64, 1, 64, 1);
                context.Finish();
                return clock.Elapsed.TotalMilliseconds;
            }));
        const int launches = 1000;
        return 1000 * Time(context, () => { for (int i = 0; i < launches; i++) context.Launch(kernel, 64, 1, 64, 1); }) / launches;
    }
}
