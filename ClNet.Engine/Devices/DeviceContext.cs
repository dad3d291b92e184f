using Silk.NET.OpenCL;

namespace ClNet.Engine;

/// <summary>
/// Everything one OpenCL device needs: a context, one in-order queue (profiling enabled, so that
/// event timestamps are available without serialising anything), buffers and the compiled kernels.
/// Commands are enqueued without waiting; <see cref="Finish"/> and the blocking reads are the only
/// synchronisation points. A context is used by one thread at a time.
/// </summary>
public sealed unsafe class DeviceContext : IDisposable
{
    private nint _context;
    private nint _queue;
    private KernelLibrary _kernels;
    private readonly Dictionary<string, DeviceBuffer> _scratch = new(StringComparer.Ordinal);

    public DeviceInfo Device { get; }
    public KernelCache Cache { get; }

    /// <summary>When set, every kernel launch records an event for it.</summary>
    public Profiler? Profiler { get; set; }
    public KernelLibrary Kernels => _kernels;

    /// <summary>The matrix-product kernels this device runs (<see cref="GemmVariants"/>'s table unless set).</summary>
    public GemmVariant GemmVariant { get; set; }

    public DeviceContext(DeviceInfo device, KernelCache? cache = null, KernelSources? sources = null)
    {
        Device = device;
        Cache = cache ?? KernelCache.FromEnvironment();
        GemmVariant = GemmVariants.For(device);
        int status;
        nint d = device.DeviceHandle;
        _context = OpenCl.Api.CreateContext(null, 1, &d, null, null, &status);
        OpenCl.Check(status, $"clCreateContext on '{device.Name}'");
        _queue = OpenCl.Api.CreateCommandQueue(_context, d, CommandQueueProperties.ProfilingEnable, &status);
        if (status != 0)
        {
            OpenCl.Api.ReleaseContext(_context);
            OpenCl.Check(status, $"clCreateCommandQueue on '{device.Name}'");
        }
        try
        {
            _kernels = new KernelLibrary(_context, device, sources ?? KernelSources.Embedded(), Cache);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Builds a new kernel library; the running one is replaced only when the new one compiled.</summary>
    public KernelLibrary Rebuild(KernelSources sources)
    {
        var fresh = new KernelLibrary(_context, Device, sources, Cache);
        var old = _kernels;
        _kernels = fresh;
        old.Dispose();
        return fresh;
    }

    public DeviceBuffer Allocate(int length, string name)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length));
        int status = 0;
        nuint bytes = (nuint)(((long)length + DeviceBuffer.Padding) * sizeof(float));
        nint handle = HugePages.Wanted(Device, bytes) ? HugePages.CreateBuffer(_context, bytes) : 0;
        if (handle == 0) handle = OpenCl.Api.CreateBuffer(_context, MemFlags.ReadWrite, bytes, null, &status);
        OpenCl.Check(status, $"clCreateBuffer for '{name}' ({bytes} bytes on '{Device.Name}')");
        var buffer = new DeviceBuffer(handle, length, name);
        Fill(buffer, 0f, DeviceBuffer.Padding + length);   // padding lanes hold zeros, never garbage
        return buffer;
    }

    /// <summary>
    /// A buffer for intermediate results (packed matrix panels), at least <paramref name="length"/>
    /// floats, kept and reused: the queue is in order, so one use is over before the next begins.
    /// </summary>
    public DeviceBuffer Scratch(string purpose, int length)
    {
        if (!_scratch.TryGetValue(purpose, out var buffer) || buffer.Length < length)
        {
            int grown = Math.Max(length, (buffer?.Length ?? 0) * 5 / 4);
            buffer?.Dispose();
            buffer = Allocate(grown, "scratch:" + purpose);
            _scratch[purpose] = buffer;
        }
        return buffer;
    }

    /// <summary>
    /// Blocking write of floats, bytes or ints (<paramref name="offset"/> counts elements of T): the
    /// host array may be reused as soon as this returns.
    /// </summary>
    public void Write<T>(DeviceBuffer buffer, ReadOnlySpan<T> data, int offset = 0) where T : unmanaged
    {
        long start = (long)offset * sizeof(T), bytes = (long)data.Length * sizeof(T);
        if (offset < 0 || start + bytes > buffer.Bytes)
            throw new ArgumentOutOfRangeException(nameof(data), $"Writing {bytes} bytes at byte {start} overruns buffer '{buffer.Name}' of {buffer.Bytes} bytes.");
        if (bytes == 0) return;
        fixed (T* p = data)
            OpenCl.Check(OpenCl.Api.EnqueueWriteBuffer(_queue, buffer.Handle, true, (nuint)start, (nuint)bytes, p, 0, null, null),
                $"clEnqueueWriteBuffer '{buffer.Name}'");
    }

    /// <summary>Blocking read; it waits for every command enqueued before it.</summary>
    public void Read(DeviceBuffer buffer, Span<float> data, int offset = 0)
    {
        CheckRange(buffer, offset, data.Length);
        fixed (float* p = data)
            OpenCl.Check(OpenCl.Api.EnqueueReadBuffer(_queue, buffer.Handle, true, (nuint)(offset * sizeof(float)), (nuint)(data.Length * sizeof(float)), p, 0, null, null),
                $"clEnqueueReadBuffer '{buffer.Name}'");
    }

    public float[] Read(DeviceBuffer buffer)
    {
        var data = new float[buffer.Length];
        Read(buffer, data);
        return data;
    }

    public void Fill(DeviceBuffer buffer, float value) => Fill(buffer, value, buffer.Length);

    private void Fill(DeviceBuffer buffer, float value, int length)
    {
        if (length == 0) return;
        // a kernel of float16 stores: PoCL's clEnqueueFillBuffer writes the pattern float by float (4.7 MB: 0.42 -> 0.15 ms);
        // a library built from other sources (a test's, a reload's) may lack it
        if (_kernels.TryGet("fill_floats", out var fill))
            Launch(fill.Set(0, length).Set(1, value).Set(2, buffer), (length + 1023) / 1024);
        else
            OpenCl.Check(OpenCl.Api.EnqueueFillBuffer(_queue, buffer.Handle, &value, sizeof(float), 0, (nuint)(length * sizeof(float)), 0, null, null),
                $"clEnqueueFillBuffer '{buffer.Name}'");
    }

    public void Copy(DeviceBuffer source, DeviceBuffer destination, int length)
    {
        CheckRange(source, 0, length);
        CheckRange(destination, 0, length);
        if (length == 0) return;
        OpenCl.Check(OpenCl.Api.EnqueueCopyBuffer(_queue, source.Handle, destination.Handle, 0, 0, (nuint)(length * sizeof(float)), 0, null, null),
            $"clEnqueueCopyBuffer '{source.Name}' -> '{destination.Name}'");
    }

    /// <summary>
    /// Enqueues a kernel over a global range of gx × gy work-items. With a local size the global range
    /// is rounded up to a multiple of it, so kernels check their bounds.
    /// </summary>
    public void Launch(Kernel kernel, int gx, int gy = 1, int lx = 0, int ly = 1)
    {
        if (gx <= 0 || gy <= 0) return;
        nuint* global = stackalloc nuint[2];
        nuint* local = stackalloc nuint[2];
        global[0] = (nuint)(lx > 0 ? RoundUp(gx, lx) : gx);
        global[1] = (nuint)(lx > 0 ? RoundUp(gy, ly) : gy);
        local[0] = (nuint)lx;
        local[1] = (nuint)ly;
        Enqueue(kernel, gy > 1 || ly > 1 ? 2u : 1u, global, lx > 0 ? local : null, gx, gy);
    }

    /// <summary>
    /// Enqueues a kernel over gx × gy × gz work-items in work-groups of <paramref name="local"/> × 1 × 1
    /// (gx rounded up to a multiple of it): on a CPU device the items of one group run in a row on one thread.
    /// </summary>
    public void Launch3D(Kernel kernel, int gx, int gy, int gz, int local)
    {
        if (gx <= 0 || gy <= 0 || gz <= 0) return;
        nuint* globalSize = stackalloc nuint[3];
        nuint* localSize = stackalloc nuint[3];
        globalSize[0] = (nuint)RoundUp(gx, local); globalSize[1] = (nuint)gy; globalSize[2] = (nuint)gz;
        localSize[0] = (nuint)local; localSize[1] = 1; localSize[2] = 1;
        Enqueue(kernel, 3, globalSize, localSize, gx, gy * gz);
    }

    private void Enqueue(Kernel kernel, uint dims, nuint* global, nuint* local, int gx, int gy)
    {
        nint evt = 0;
        int status = OpenCl.Api.EnqueueNdrangeKernel(_queue, kernel.Handle, dims, null, global, local, 0, null, Profiler is null ? null : &evt);
        OpenCl.Check(status, $"clEnqueueNDRangeKernel '{kernel.Name}' ({gx}x{gy})");
        if (evt != 0) Profiler!.Record(evt, kernel.Name);
    }

    /// <summary>One work-item per element, in groups of 64 (PoCL vectorises across them).</summary>
    public void Launch1D(Kernel kernel, int n) => Launch(kernel, n, 1, 64, 1);

    /// <summary>
    /// How many items (vectors, rows) a work-item of the kernels that take a share of them (SHARE_OF_ITEMS in
    /// common.cl) gets: <paramref name="onCpu"/> with the register-blocked kernels, as PoCL's per-work-item loop
    /// costs more than one vector's work; one with the tiled kernels, so that a GPU's neighbouring work-items
    /// read neighbouring memory.
    /// </summary>
    private int ItemsPerWorkItem(int onCpu) => GemmVariant == GemmVariant.Registers ? onCpu : 1;

    /// <summary>
    /// A kernel over <paramref name="columns"/> x <paramref name="rows"/> whose work-items take a share of the rows (the y
    /// index, SHARE_OF_ITEMS): <paramref name="rowsPerItem"/> each on a CPU, one on a GPU.
    /// </summary>
    public void LaunchRowShares(Kernel kernel, int columns, int rows, int rowsPerItem)
    {
        int per = ItemsPerWorkItem(rowsPerItem);
        Launch(kernel, columns, (rows + per - 1) / per, 1, per > 1 ? 4 : 64);
    }

    /// <summary>
    /// A kernel over <paramref name="rows"/> rows of <paramref name="width"/> floats (the y index) whose work-items take a
    /// share of a row's vectors of 16 (the x index, SHARE_OF_ROW): the whole row on a CPU.
    /// </summary>
    public void LaunchRows(Kernel kernel, int rows, int width)
    {
        int vectors = (width + 15) / 16, per = ItemsPerWorkItem(vectors);
        Launch(kernel, (vectors + per - 1) / per, rows, 1, 64);
    }

    /// <summary>The FOR_16 kernels of elementwise.cl over n elements: 16 vectors of 16 per work-item on a CPU.</summary>
    public void LaunchVectors(Kernel kernel, int n)
    {
        int vectors = (n + 15) / 16, per = ItemsPerWorkItem(16);
        Launch(kernel, (vectors + per - 1) / per, 1, 8, 1);
    }

    public void Flush() => OpenCl.Check(OpenCl.Api.Flush(_queue), "clFlush");

    public void Finish() => OpenCl.Check(OpenCl.Api.Finish(_queue), $"clFinish on '{Device.Name}'");

    private static int RoundUp(int n, int multiple) => (n + multiple - 1) / multiple * multiple;

    private static void CheckRange(DeviceBuffer buffer, int offset, int length)
    {
        if (offset < 0 || length < 0 || offset + length > buffer.Length)
            throw new ArgumentOutOfRangeException(nameof(length), $"Range [{offset}, {offset + length}) is outside buffer '{buffer.Name}' of {buffer.Length} floats.");
    }

    public void Dispose()
    {
        foreach (var b in _scratch.Values) b.Dispose();
        _scratch.Clear();
        _kernels?.Dispose();
        if (_queue != 0) { OpenCl.Api.Finish(_queue); OpenCl.Api.ReleaseCommandQueue(_queue); }
        if (_context != 0) OpenCl.Api.ReleaseContext(_context);
        _queue = _context = 0;
    }
}
