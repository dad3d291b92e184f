using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Stops profiling; the profile stays for Get-ClNetProfile.</summary>
[Cmdlet(VerbsLifecycle.Stop, "ClNetProfile")]
public sealed class StopClNetProfileCommand : TrainingCmdlet
{
    protected override void ProcessRecord() => Act(s => s.StopProfiling(Cancel));
}
