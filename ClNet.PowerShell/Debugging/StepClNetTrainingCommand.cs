using System.Diagnostics;
using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Runs to the next node and pauses there again (clnet's s); returns where it stopped.</summary>
[Cmdlet(VerbsCommon.Step, "ClNetTraining")]
[OutputType(typeof(ExecutionPoint))]
public sealed class StepClNetTrainingCommand : TrainingCmdlet
{
    protected override void ProcessRecord() => Act(s =>
    {
        var before = s.Debugger.Position;
        s.Debugger.Step();
        var clock = Stopwatch.StartNew();
        // wait until it has left the old point and stopped at the next one
        while (s.Debugger.IsPaused && ReferenceEquals(s.Debugger.Position, before) && before is not null && clock.Elapsed < Pausing.Timeout && !Cancel.IsCancellationRequested)
            Thread.Sleep(2);
        if (Pausing.WaitForPause(s, Cancel, mustMove: true) is { } point) WriteObject(point);
    });
}
