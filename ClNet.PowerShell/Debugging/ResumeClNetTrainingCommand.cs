using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Continues a paused training (clnet's c).</summary>
[Cmdlet(VerbsLifecycle.Resume, "ClNetTraining")]
public sealed class ResumeClNetTrainingCommand : TrainingCmdlet
{
    protected override void ProcessRecord() => Act(s => s.Debugger.Resume());
}
