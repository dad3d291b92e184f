using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Starts profiling every node of a training from its next step (clnet's pf).</summary>
[Cmdlet(VerbsLifecycle.Start, "ClNetProfile")]
public sealed class StartClNetProfileCommand : TrainingCmdlet
{
    protected override void ProcessRecord() => Act(s => s.StartProfiling(Cancel));
}
