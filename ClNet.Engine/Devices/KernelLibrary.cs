using System.Diagnostics;
using System.Text;
using Silk.NET.OpenCL;

namespace ClNet.Engine;

/// <summary>
/// All kernels of kernels/*.cl compiled for one device: from the binary cache when it holds this
/// exact source, device, driver and options, otherwise from source (and then cached).
/// </summary>
public sealed unsafe class KernelLibrary : IDisposable
{
    /// <summary>
    /// -w: PoCL prints "N warnings generated." to the process's stderr on every build from source; the
    /// packed products' "unroll 4" (worth 20-40 % for a weight gradient) draws a remark that the unroller
    /// could not transform every loop it produced. Errors still come with the build log.
    /// </summary>
    public const string BuildOptions = "-cl-std=CL1.2 -cl-mad-enable -w";

    private readonly Dictionary<string, Kernel> _kernels = new(StringComparer.Ordinal);
    private nint _program;

    public double BuildMilliseconds { get; }
    public bool FromCache { get; }
    public string Origin { get; }

    internal KernelLibrary(nint context, DeviceInfo device, KernelSources sources, KernelCache cache)
    {
        var watch = Stopwatch.StartNew();
        string source = sources.Combined();
        string key = KernelCache.Key(device, source, BuildOptions);
        Origin = sources.Origin;

        byte[]? binary = cache.TryLoad(key);
        if (binary is not null)
        {
            _program = TryBuildFromBinary(context, device, binary);
            if (_program == 0) cache.Forget(key);   // stale or corrupt: rebuild from source below
            else FromCache = true;
        }
        if (_program == 0)
        {
            _program = BuildFromSource(context, device, source);
            cache.Store(key, ProgramBinary(_program));
        }
        CreateKernels();
        BuildMilliseconds = watch.Elapsed.TotalMilliseconds;
    }

    public Kernel this[string name] =>
        TryGet(name, out var k) ? k
        : throw new ClNetException("KernelNotFound", ClNetErrorKind.ObjectNotFound, $"No kernel named '{name}' was compiled (kernels from {Origin}).", name);

    public IReadOnlyCollection<string> Names => _kernels.Keys;

    public bool TryGet(string name, out Kernel kernel) => _kernels.TryGetValue(name, out kernel!);

    private static nint BuildFromSource(nint context, DeviceInfo device, string source)
    {
        int status;
        nint program = OpenCl.Api.CreateProgramWithSource(context, 1, new[] { source }, null, &status);
        OpenCl.Check(status, "clCreateProgramWithSource");
        nint d = device.DeviceHandle;
        status = OpenCl.Api.BuildProgram(program, 1, &d, BuildOptions, null, null);
        if (status != 0)
        {
            string log = BuildLog(program, device.DeviceHandle);
            OpenCl.Api.ReleaseProgram(program);
            throw new KernelBuildException(device.Name, log, status);
        }
        return program;
    }

    private static nint TryBuildFromBinary(nint context, DeviceInfo device, byte[] binary)
    {
        int status, binaryStatus;
        nint d = device.DeviceHandle;
        nuint length = (nuint)binary.Length;
        nint program;
        fixed (byte* b = binary)
        {
            byte* pointer = b;
            program = OpenCl.Api.CreateProgramWithBinary(context, 1, &d, &length, &pointer, &binaryStatus, &status);
        }
        if (status != 0 || binaryStatus != 0 || program == 0) return 0;
        if (OpenCl.Api.BuildProgram(program, 1, &d, BuildOptions, null, null) != 0)
        {
            OpenCl.Api.ReleaseProgram(program);
            return 0;
        }
        return program;
    }

    private static byte[] ProgramBinary(nint program)
    {
        nuint size;
        if (OpenCl.Api.GetProgramInfo(program, ProgramInfo.BinarySizes, (nuint)sizeof(nuint), &size, null) != 0 || size == 0)
            return Array.Empty<byte>();
        var binary = new byte[(int)size];
        fixed (byte* b = binary)
        {
            byte* pointer = b;
            if (OpenCl.Api.GetProgramInfo(program, ProgramInfo.Binaries, (nuint)sizeof(nint), &pointer, null) != 0)
                return Array.Empty<byte>();
        }
        return binary;
    }

    private static string BuildLog(nint program, nint device)
    {
        nuint size;
        if (OpenCl.Api.GetProgramBuildInfo(program, device, ProgramBuildInfo.BuildLog, 0, null, &size) != 0) return "(no build log)";
        var buffer = new byte[(int)size];
        fixed (byte* b = buffer) OpenCl.Api.GetProgramBuildInfo(program, device, ProgramBuildInfo.BuildLog, size, b, null);
        return Encoding.UTF8.GetString(buffer).TrimEnd('\0').Trim();
    }

    private void CreateKernels()
    {
        uint count;
        OpenCl.Check(OpenCl.Api.CreateKernelsInProgram(_program, 0, null, &count), "clCreateKernelsInProgram");
        var handles = new nint[count];
        fixed (nint* h = handles) OpenCl.Check(OpenCl.Api.CreateKernelsInProgram(_program, count, h, null), "clCreateKernelsInProgram");
        foreach (var h in handles)
        {
            nuint size;
            OpenCl.Check(OpenCl.Api.GetKernelInfo(h, KernelInfo.FunctionName, 0, null, &size), "clGetKernelInfo");
            var name = new byte[(int)size];
            fixed (byte* n = name) OpenCl.Check(OpenCl.Api.GetKernelInfo(h, KernelInfo.FunctionName, size, n, null), "clGetKernelInfo");
            string text = Encoding.ASCII.GetString(name).TrimEnd('\0');
            _kernels[text] = new Kernel(h, text);
        }
    }

    public void Dispose()
    {
        foreach (var k in _kernels.Values) k.Release();
        _kernels.Clear();
        if (_program != 0) OpenCl.Api.ReleaseProgram(_program);
        _program = 0;
    }
}
