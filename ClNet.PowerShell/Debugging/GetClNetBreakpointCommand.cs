using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Lists the breakpoints of a training.</summary>
[Cmdlet(VerbsCommon.Get, "ClNetBreakpoint")]
[OutputType(typeof(ClNet.Engine.Breakpoint))]
public sealed class GetClNetBreakpointCommand : TrainingCmdlet
{
    protected override void ProcessRecord() => Act(s => WriteObject(s.Debugger.Breakpoints, enumerateCollection: true));
}
