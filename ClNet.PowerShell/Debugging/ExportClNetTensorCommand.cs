using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Writes a tensor to a CSV file (clnet's save_csv): one row per element.</summary>
[Cmdlet(VerbsData.Export, "ClNetTensor", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportClNetTensorCommand : TrainingOrModelCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    public SwitchParameter Gradient { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string full = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(full, $"Export {(Gradient ? $"gradient({Name})" : Name)}")) return;
        var live = RunningTraining();
        if (!this.Try(() =>
            {
                TensorValues values;
                if (live is not null) values = live.ReadTensor(Name, null, Gradient, cancel: Cancel);
                else
                {
                    var model = StoredModel();
                    var tensor = model.Graph.TryGet(Name) is { IsSaved: true } t && !Gradient ? t
                        : throw new ClNetException("TensorNotStored", ClNetErrorKind.ObjectNotFound, $"Model {model.Name} is not training, so only its parameters can be exported, not '{Name}'.", Name);
                    values = new TensorValues(tensor, Slice.Parse(null, tensor), model.Parameters.Values(Name));
                }
                TensorCsv.Write(full, Gradient ? $"gradient({Name})" : Name, values.Shape, values.Flat());
            }, full)) return;
        if (PassThru) WriteObject(new FileInfo(full));
    }
}
