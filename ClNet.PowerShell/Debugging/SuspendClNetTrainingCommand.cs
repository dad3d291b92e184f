using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Pauses the training before its next node (clnet's p); the job shows Suspended.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "ClNetTraining")]
[OutputType(typeof(ExecutionPoint))]
public sealed class SuspendClNetTrainingCommand : TrainingCmdlet
{
    protected override void ProcessRecord() => Act(s =>
    {
        s.Debugger.Suspend();
        if (Pausing.WaitForPause(s, Cancel, mustMove: false) is { } point) WriteObject(point);
    });
}
