using System.Runtime.CompilerServices;
using Silk.NET.OpenCL;

namespace ClNet.Engine;

/// <summary>
/// The OpenCL entry points, loaded on first use so that a machine without an OpenCL loader gets a
/// clear error instead of a type-initialisation failure. The loader is immutable and shared; all
/// mutable state lives in <see cref="DeviceContext"/>.
/// </summary>
internal static class OpenCl
{
    private static readonly Lazy<CL> LazyApi = new(Load);

    public static CL Api => LazyApi.Value;

    private static CL Load()
    {
        try
        {
            return CL.GetApi();
        }
        catch (Exception e) when (e is FileNotFoundException or DllNotFoundException or TypeInitializationException)
        {
            throw new ClNetException("OpenClNotInstalled", ClNetErrorKind.NotInstalled,
                "No OpenCL loader (libOpenCL.so.1) was found. Install an OpenCL runtime, for example Debian's " +
                "'ocl-icd-libopencl1' and 'pocl-opencl-icd' (apt-get install ocl-icd-libopencl1 pocl-opencl-icd), or your GPU vendor's driver.",
                "libOpenCL.so.1", e);
        }
    }

    public static void Check(int status, string what)
    {
        if (status != 0) throw Failure(status, what);
    }

    /// <summary>
    /// The same check with an interpolated description, which is only formatted when the call failed:
    /// kernel arguments and launches are checked thousands of times per training step.
    /// </summary>
    public static void Check(int status, [InterpolatedStringHandlerArgument(nameof(status))] ref FailureDescription what)
    {
        if (status != 0) throw Failure(status, what.ToStringAndClear());
    }

    private static ClNetException Failure(int status, string what) =>
        new("OpenClError", ClNetErrorKind.DeviceError, $"{what} failed: {ErrorName(status)} ({status}).", what);

    /// <summary>Builds the description of an OpenCL call only when its status is an error.</summary>
    [InterpolatedStringHandler]
    public ref struct FailureDescription
    {
        private DefaultInterpolatedStringHandler _text;

        public FailureDescription(int literalLength, int formattedCount, int status, out bool format)
        {
            format = status != 0;
            _text = format ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
        }

        public void AppendLiteral(string value) => _text.AppendLiteral(value);

        public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

        public string ToStringAndClear() => _text.ToStringAndClear();
    }

    public static string ErrorName(int status) => status switch
    {
        0 => "CL_SUCCESS",
        -1 => "CL_DEVICE_NOT_FOUND",
        -2 => "CL_DEVICE_NOT_AVAILABLE",
        -3 => "CL_COMPILER_NOT_AVAILABLE",
        -4 => "CL_MEM_OBJECT_ALLOCATION_FAILURE",
        -5 => "CL_OUT_OF_RESOURCES",
        -6 => "CL_OUT_OF_HOST_MEMORY",
        -7 => "CL_PROFILING_INFO_NOT_AVAILABLE",
        -11 => "CL_BUILD_PROGRAM_FAILURE",
        -30 => "CL_INVALID_VALUE",
        -33 => "CL_INVALID_DEVICE",
        -34 => "CL_INVALID_CONTEXT",
        -36 => "CL_INVALID_COMMAND_QUEUE",
        -38 => "CL_INVALID_MEM_OBJECT",
        -42 => "CL_INVALID_BINARY",
        -44 => "CL_INVALID_PROGRAM",
        -45 => "CL_INVALID_PROGRAM_EXECUTABLE",
        -46 => "CL_INVALID_KERNEL_NAME",
        -48 => "CL_INVALID_KERNEL",
        -49 => "CL_INVALID_ARG_INDEX",
        -50 => "CL_INVALID_ARG_VALUE",
        -51 => "CL_INVALID_ARG_SIZE",
        -52 => "CL_INVALID_KERNEL_ARGS",
        -54 => "CL_INVALID_WORK_GROUP_SIZE",
        -55 => "CL_INVALID_WORK_ITEM_SIZE",
        -61 => "CL_INVALID_BUFFER_SIZE",
        -63 => "CL_INVALID_GLOBAL_WORK_SIZE",
        -1001 => "CL_PLATFORM_NOT_FOUND_KHR",
        _ => "OpenCL error",
    };
}
