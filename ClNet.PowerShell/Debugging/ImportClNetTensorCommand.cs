using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>
/// Reads a tensor CSV file (clnet's load_csv) into the tensor it names (or -Name): into the running
/// training at a step boundary, or into a model's parameters. A shape that does not match is an
/// error and nothing changes.
/// </summary>
[Cmdlet(VerbsData.Import, "ClNetTensor", SupportsShouldProcess = true)]
public sealed class ImportClNetTensorCommand : TrainingOrModelCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The tensor to fill, instead of the one the file names.</summary>
    [Parameter]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        string full = GetUnresolvedProviderPathFromPSPath(Path);
        var live = RunningTraining();
        this.Try(() =>
        {
            var contents = TensorCsv.Read(full);
            string name = Name ?? contents.Tensor;
            var graph = live?.Graph ?? StoredModel().Graph;
            var tensor = graph.TryGet(name) ?? throw new ClNetException("TensorNotFound", ClNetErrorKind.ObjectNotFound,
                $"'{full}' holds '{contents.Tensor}', but there is no tensor named '{name}'.", name);
            if (tensor.Shape != contents.Shape)
                throw new ClNetException("TensorShapeMismatch", ClNetErrorKind.InvalidData,
                    $"'{full}' holds {contents.Tensor}{contents.Shape}, which does not fit {tensor.Name}{tensor.Shape}.", name);
            if (!ShouldProcess(tensor.Name, $"Replace the values with those of '{full}'")) return;
            if (live is not null) live.WriteTensor(tensor.Name, contents.Values, Cancel);
            else if (tensor.IsSaved) StoredModel().Parameters.Replace(new Dictionary<string, float[]> { [tensor.Name] = contents.Values }, full);
            else throw new ClNetException("TensorNotStored", ClNetErrorKind.InvalidOperation, $"'{tensor.Name}' exists only during training; import it into a running training.", name);
        }, full);
    }
}
