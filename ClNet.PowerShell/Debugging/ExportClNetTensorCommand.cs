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
                var values = live is not null ? live.ReadTensor(Name, null, Gradient, cancel: Cancel) : StoredValues(Name, null, Gradient, false);
                TensorCsv.Write(full, Gradient ? $"gradient({Name})" : Name, values.Shape, values.Flat());
            }, full)) return;
        if (PassThru) WriteObject(new FileInfo(full));
    }
}
