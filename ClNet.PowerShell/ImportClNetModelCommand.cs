using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Reads a parameter file: into a new model of the kind the file records, or into a given model.</summary>
[Cmdlet(VerbsData.Import, "ClNetModel", SupportsShouldProcess = true)]
[OutputType(typeof(Model))]
public sealed class ImportClNetModelCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Load into this model instead of creating one; its parameter names and shapes must match the file.</summary>
    [Parameter]
    public Model? Model { get; set; }

    /// <summary>With a new model: the folder of its data, for training on.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DataPath { get; set; }

    protected override void ProcessRecord()
    {
        string full = GetUnresolvedProviderPathFromPSPath(Path);
        if (Model is null)
        {
            this.Try(() =>
            {
                var model = ParameterFile.Import(full);
                if (DataPath is not null) model.LoadData(GetUnresolvedProviderPathFromPSPath(DataPath));
                WriteObject(model);
            }, full);
            return;
        }
        if (!ShouldProcess($"model {Model.Name}", $"Replace the parameters with those of '{full}'")) return;
        if (this.Try(() => ParameterFile.Load(Model, full), full)) WriteObject(Model);
    }
}
