using System.Runtime.InteropServices;
using Silk.NET.OpenCL;

namespace ClNet.Engine;

/// <summary>
/// The buffers of a CPU device in 2 MB pages. A CPU device's buffers are host memory, and with 4 KB
/// pages a kernel that walks a large tensor across its rows (a transpose, a convolution's gradient
/// over a batch) misses the TLB on nearly every row. On Linux, with transparent huge pages set to
/// "madvise" (Debian's default) or "always", memory we allocate 2 MB-aligned and madvise MADV_HUGEPAGE
/// comes in 2 MB pages; the buffer is created on it with CL_MEM_USE_HOST_PTR, which PoCL uses in place.
/// Measured on the WRN, 2 vCPUs: 1,760-1,930 -> 1,940-2,010 samples/s; a 17 MB copy 1.2 -> 0.75 ms.
/// The memory is freed by OpenCL's destructor callback, once the runtime is done with the buffer.
/// CLNET_HUGE_PAGES=off turns it off (plain clCreateBuffer).
/// </summary>
internal static unsafe class HugePages
{
    private const nuint PageBytes = 2 << 20;
    private const int AdviseHugePage = 14;   // MADV_HUGEPAGE

    /// <summary>Smaller buffers stay with the runtime: rounding them up to a 2 MB page would waste more than it saves.</summary>
    private const nuint MinimumBytes = 1 << 20;

    // kept in a static field: OpenCL calls it after the buffer's last use, possibly long after Create returns
    private static readonly ObjectNotifyCallback Free = (_, memory) => NativeMemory.AlignedFree(memory);

    public static bool Wanted(DeviceInfo device, nuint bytes) =>
        bytes >= MinimumBytes && device.Type == "CPU" && OperatingSystem.IsLinux()
        && !string.Equals(Environment.GetEnvironmentVariable("CLNET_HUGE_PAGES"), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A read-write buffer of <paramref name="bytes"/> on 2 MB-aligned host memory advised into huge pages;
    /// 0 when the runtime refuses it (the caller then creates a plain buffer).
    /// </summary>
    public static nint CreateBuffer(nint context, nuint bytes)
    {
        nuint size = (bytes + PageBytes - 1) / PageBytes * PageBytes;
        void* memory = NativeMemory.AlignedAlloc(size, PageBytes);
        madvise(memory, size, AdviseHugePage);   // a hint: where the kernel says no, the pages stay 4 KB
        int status;
        nint handle = OpenCl.Api.CreateBuffer(context, MemFlags.ReadWrite | MemFlags.UseHostPtr, bytes, memory, &status);
        if (status == 0 && OpenCl.Api.SetMemObjectDestructorCallback(handle, Free, memory) == 0) return handle;
        if (status == 0) OpenCl.Api.ReleaseMemObject(handle);
        NativeMemory.AlignedFree(memory);
        return 0;
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int madvise(void* address, nuint length, int advice);
}
