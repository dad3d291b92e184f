namespace ClNet.Engine;

/// <summary>What kind of failure an error is; the PowerShell layer maps it to an ErrorCategory.</summary>
public enum ClNetErrorKind
{
    InvalidArgument,
    ObjectNotFound,
    InvalidData,
    NotInstalled,
    ResourceUnavailable,
    DeviceError,
    InvalidOperation,
}

/// <summary>
/// Every error the engine raises on purpose: a stable id (for scripts and tests), a kind, and the
/// thing it is about (a file, a tensor, a device index), so that the message can name it.
/// </summary>
public class ClNetException : Exception
{
    public string ErrorId { get; }
    public ClNetErrorKind Kind { get; }
    public object? Target { get; }

    public ClNetException(string errorId, ClNetErrorKind kind, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }
}

/// <summary>A program that failed to compile; the message carries the compiler's build log.</summary>
public sealed class KernelBuildException : ClNetException
{
    public string BuildLog { get; }
    public string DeviceName { get; }

    public KernelBuildException(string deviceName, string buildLog, int status)
        : base("KernelBuildFailed", ClNetErrorKind.InvalidData,
               $"The OpenCL kernels did not compile for device '{deviceName}' ({OpenCl.ErrorName(status)}). Build log:\n{buildLog}", deviceName)
    {
        BuildLog = buildLog;
        DeviceName = deviceName;
    }
}
