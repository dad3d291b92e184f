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

    /// <summary>CharRNN: the UTF-8 text to learn (read and checked now).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CorpusPath { get; set; }

    /// <summary>CharRNN: the character index (clnet's index_file), loaded when it exists, written from the corpus otherwise.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IndexPath { get; set; }

    /// <summary>CharRNN: LSTM layers.</summary>
    [Parameter] [ValidateRange(1, 64)] public int Layers { get; set; }
    /// <summary>MLP and CharRNN: units of the hidden layer(s).</summary>
    [Parameter] [ValidateRange(1, int.MaxValue)] public int Hidden { get; set; }
    /// <summary>CharRNN: width of the character embedding.</summary>
    [Parameter] [ValidateRange(1, int.MaxValue)] public int Embedding { get; set; }
    /// <summary>CharRNN: characters per training sequence.</summary>
    [Parameter] [ValidateRange(1, int.MaxValue)] public int SequenceLength { get; set; }
    /// <summary>CharRNN: dropout between LSTM layers.</summary>
    [Parameter] [ValidateRange(0.0, 0.95)] public double Dropout { get; set; }
    /// <summary>CIFAR_WRN: the widening factor k.</summary>
    [Parameter] [ValidateRange(1, 64)] public int Width { get; set; }
    /// <summary>CIFAR_WRN: blocks per group (N).</summary>
    [Parameter] [ValidateRange(1, 64)] public int Depth { get; set; }

    /// <summary>A parameter file written by Save-ClNetModel to start from.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ParameterPath { get; set; }

    protected override void ProcessRecord()
    {
        var values = Option?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value is PSObject p ? p.BaseObject : e.Value, StringComparer.OrdinalIgnoreCase)
            ?? new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        // the named model settings are options too; a model that does not have one says so
        foreach (var name in new[] { nameof(Layers), nameof(Hidden), nameof(Embedding), nameof(SequenceLength), nameof(Dropout), nameof(Width), nameof(Depth) })
            if (MyInvocation.BoundParameters.TryGetValue(name, out var value)) values[name] = value;
        if (IndexPath is not null) values["IndexPath"] = GetUnresolvedProviderPathFromPSPath(IndexPath);
        if (DataPath is not null && CorpusPath is not null)
        {
            WriteError(new ErrorRecord(new ArgumentException("Give -DataPath or -CorpusPath, not both."), "DataAndCorpus", ErrorCategory.InvalidArgument, CorpusPath));
            return;
        }
        string? data = DataPath ?? CorpusPath;
        string? dataPath = data is null ? null : GetUnresolvedProviderPathFromPSPath(data);
        this.Try(() =>
        {
            var model = ModelCatalog.Create(Name, new ModelOptions(values), Seed, dataPath);
            if (ParameterPath is not null) ParameterFile.Load(model, GetUnresolvedProviderPathFromPSPath(ParameterPath));
            if (dataPath is not null) model.LoadData(dataPath);
            WriteObject(model);
        }, Name);
    }
}
