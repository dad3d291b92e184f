using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>The profile: one flat object per node, largest total first (clnet's pf list).</summary>
[Cmdlet(VerbsCommon.Get, "ClNetProfile")]
[OutputType(typeof(ProfileEntry))]
public sealed class GetClNetProfileCommand : TrainingCmdlet
{
    protected override void ProcessRecord() => Act(s => WriteObject(s.Profile(Cancel), enumerateCollection: true));
}
