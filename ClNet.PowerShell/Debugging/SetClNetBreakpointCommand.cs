using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Stops the training before a node (clnet's g): forward, backward, data or SGD.</summary>
[Cmdlet(VerbsCommon.Set, "ClNetBreakpoint")]
[OutputType(typeof(ClNet.Engine.Breakpoint))]
public sealed class SetClNetBreakpointCommand : TrainingCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    [Alias("Name", "Node")]
    public string Tensor { get; set; } = "";

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int HitCount { get; set; } = 1;

    protected override void ProcessRecord() => Act(s => WriteObject(s.Debugger.SetBreakpoint(Tensor, HitCount)), Tensor);
}
