using System.Collections;
using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Creates a model by its clnet name, with fresh parameters or parameters from a file.</summary>
[Cmdlet(VerbsCommon.New, "ClNetModel")]
[OutputType(typeof(Model))]
public sealed class NewClNetModelCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Seed of the parameter initialisation (and the default training seed).</summary>
    [Parameter]
    public int Seed { get; set; } = 1;

    /// <summary>Model settings, for example @{ Hidden = 1024 } for the MLP.</summary>
    [Parameter]
    public Hashtable? Option { get; set; }

    /// <summary>The folder of the model's data (MNIST-format files, CIFAR-10 binary batches); read and checked now.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DataPath { get; set; }

    /// <summary>A parameter file written by Save-ClNetModel to start from.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ParameterPath { get; set; }

    protected override void ProcessRecord()
    {
        var options = new ModelOptions(Option?.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, object?>(e.Key.ToString()!, e.Value is PSObject p ? p.BaseObject : e.Value)));
        this.Try(() =>
        {
            var model = ModelCatalog.Create(Name, options, Seed);
            if (ParameterPath is not null) ParameterFile.Load(model, GetUnresolvedProviderPathFromPSPath(ParameterPath));
            if (DataPath is not null) model.LoadData(GetUnresolvedProviderPathFromPSPath(DataPath));
            WriteObject(model);
        }, Name);
    }
}
