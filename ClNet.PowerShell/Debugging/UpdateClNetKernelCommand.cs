using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>
/// Rebuilds a running training's kernels from the .cl files of a folder and swaps them in at the
/// next step boundary (clnet's rk). A build error is reported with the compiler's log and the
/// running kernels stay in place.
/// </summary>
[Cmdlet(VerbsData.Update, "ClNetKernel", SupportsShouldProcess = true)]
[OutputType(typeof(KernelReload))]
public sealed class UpdateClNetKernelCommand : TrainingCmdlet
{
    /// <summary>The folder of .cl files; by default the kernels folder next to ClNet.psd1.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    protected override void ProcessRecord()
    {
        string folder = Path is null
            ? System.IO.Path.Combine(MyInvocation.MyCommand.Module?.ModuleBase ?? SessionState.Path.CurrentFileSystemLocation.Path, "kernels")
            : GetUnresolvedProviderPathFromPSPath(Path);
        var session = Training();
        if (!ShouldProcess($"{session.Model.Name} on {string.Join(", ", session.Devices.Select(d => d.Name))}", $"Rebuild the kernels from '{folder}'")) return;
        this.Try(() => WriteObject(session.ReloadKernels(KernelSources.FromDirectory(folder), Cancel), enumerateCollection: true), folder);
    }
}
