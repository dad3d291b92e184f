using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Turns engine errors into ErrorRecords with the engine's error id, a category and the target.</summary>
internal static class ClNetErrors
{
    public static ErrorRecord ToRecord(Exception e, string fallbackId = "ClNetError", object? target = null)
    {
        if (e is ClNetException c)
            return new ErrorRecord(c, c.ErrorId, Category(c.Kind), c.Target ?? target);
        if (e is ArgumentException)
            return new ErrorRecord(e, fallbackId, ErrorCategory.InvalidArgument, target);
        if (e is IOException or UnauthorizedAccessException)
            return new ErrorRecord(e, fallbackId, ErrorCategory.WriteError, target);
        return new ErrorRecord(e, fallbackId, ErrorCategory.NotSpecified, target);
    }

    public static ErrorCategory Category(ClNetErrorKind kind) => kind switch
    {
        ClNetErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ClNetErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        ClNetErrorKind.InvalidData => ErrorCategory.InvalidData,
        ClNetErrorKind.NotInstalled => ErrorCategory.NotInstalled,
        ClNetErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        ClNetErrorKind.DeviceError => ErrorCategory.DeviceError,
        ClNetErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>Runs an action; an engine, argument or I/O error becomes a non-terminating error of the cmdlet.</summary>
    public static bool Try(this PSCmdlet cmdlet, Action action, object? target = null)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception e) when (e is ClNetException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            cmdlet.WriteError(ToRecord(e, target: target));
            return false;
        }
    }
}
