using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Writes a model's parameters to a file, atomically.</summary>
[Cmdlet(VerbsData.Save, "ClNetModel", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class SaveClNetModelCommand : PSCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Model Model { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Refuse to replace an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Write the file's FileInfo to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string full = GetUnresolvedProviderPathFromPSPath(Path);
        if (NoClobber && File.Exists(full))
        {
            WriteError(new ErrorRecord(new IOException($"The file '{full}' already exists and -NoClobber was given."), "FileExists", ErrorCategory.ResourceExists, full));
            return;
        }
        if (Model.Training is { IsReporter: false } || LatestTraining.Get() is { IsReporter: false })
        {
            WriteVerbose($"Not saving '{full}': in an MPI job only rank 0 writes files.");
            return;
        }
        if (!ShouldProcess(full, $"Save the parameters of model {Model.Name}")) return;
        if (this.Try(() => ParameterFile.Save(Model, full), full) && PassThru) WriteObject(new FileInfo(full));
    }
}
