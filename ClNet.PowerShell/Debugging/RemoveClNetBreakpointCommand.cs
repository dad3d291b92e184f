using System.Management.Automation;

namespace ClNet.PowerShell;

/// <summary>Removes breakpoints by name (or the Breakpoint objects piped in).</summary>
[Cmdlet(VerbsCommon.Remove, "ClNetBreakpoint", SupportsShouldProcess = true)]
public sealed class RemoveClNetBreakpointCommand : TrainingCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string[] Tensor { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        var session = Training();
        foreach (var name in Tensor)
        {
            if (!ShouldProcess(name, "Remove breakpoint")) continue;
            if (!session.Debugger.RemoveBreakpoint(name))
                WriteError(new ErrorRecord(new ItemNotFoundException($"There is no breakpoint on '{name}'."), "BreakpointNotFound", ErrorCategory.ObjectNotFound, name));
        }
    }
}
