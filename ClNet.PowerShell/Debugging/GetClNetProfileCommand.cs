using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>The profile: one flat object per node, largest total first (clnet's pf list); -ByKernel splits each node into its kernels.</summary>
[Cmdlet(VerbsCommon.Get, "ClNetProfile")]
[OutputType(typeof(ProfileEntry))]
public sealed class GetClNetProfileCommand : TrainingCmdlet
{
    /// <summary>One object per kernel of each node (the node's Calls, the kernel's time) instead of one per node.</summary>
    [Parameter] public SwitchParameter ByKernel { get; set; }

    protected override void ProcessRecord() => Act(s => WriteObject(s.Profile(Cancel, ByKernel), enumerateCollection: true));
}
