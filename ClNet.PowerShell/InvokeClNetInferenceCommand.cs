using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>
/// Runs a trained model: classifies pictures (BMP or PNG) with an image model, or generates text
/// from a prefix with a character model. Paths may use wildcards and files may come from
/// Get-ChildItem; a file that cannot be used is an error for that file while the others go on.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ClNetInference", DefaultParameterSetName = "Image")]
[OutputType(typeof(Prediction), ParameterSetName = new[] { "Image" })]
[OutputType(typeof(string), ParameterSetName = new[] { "Text" })]
public sealed class InvokeClNetInferenceCommand : PSCmdlet
{
    private readonly List<(string Path, float[] Input)> _inputs = new();
    private Predictor? _predictor;

    [Parameter(Mandatory = true)]
    public Model Model { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Image")]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Text: the characters to start from.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Text")]
    [ValidateNotNullOrEmpty]
    public string Prefix { get; set; } = "";

    /// <summary>Text: how many characters to add.</summary>
    [Parameter(ParameterSetName = "Text")]
    [ValidateRange(0, int.MaxValue)]
    public int Length { get; set; } = 200;

    /// <summary>Text: sampling temperature; 0 takes the most likely character every time.</summary>
    [Parameter(ParameterSetName = "Text")]
    [ValidateRange(0.0, 100.0)]
    public double Temperature { get; set; } = 1.0;

    /// <summary>Text: seed of the sampling.</summary>
    [Parameter(ParameterSetName = "Text")]
    public int Seed { get; set; } = 1;

    /// <summary>Text: the index file the model was trained with; it must match the alphabet saved with the model.</summary>
    [Parameter(ParameterSetName = "Text")]
    [ValidateNotNullOrEmpty]
    public string? IndexPath { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Device { get; set; }

    protected override void BeginProcessing()
    {
        if (ParameterSetName == "Text") return;
        try
        {
            _predictor = new Predictor(Model, Device);
        }
        catch (ClNetException e)
        {
            ThrowTerminatingError(ClNetErrors.ToRecord(e));
        }
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "Text")
        {
            this.Try(() =>
            {
                var index = IndexPath is null ? null : CharacterIndex.Load(GetUnresolvedProviderPathFromPSPath(IndexPath));
                using var generator = new TextGenerator(Model, Device, index);
                WriteObject(generator.Generate(Prefix, Length, Temperature, Seed));
            }, Prefix);
            return;
        }
        foreach (string path in Path)
        {
            foreach (string file in Resolve(path))
                this.Try(() => _inputs.Add((file, _predictor!.Prepare(ImageFile.Read(file), file))), file);
            if (_inputs.Count >= Predictor.BatchSize) Flush();
        }
    }

    protected override void EndProcessing()
    {
        if (_predictor is null) return;
        Flush();
        _predictor?.Dispose();
        _predictor = null;
    }

    protected override void StopProcessing() => _predictor?.Dispose();

    private void Flush()
    {
        foreach (var prediction in _predictor!.Predict(_inputs)) WriteObject(prediction);
        _inputs.Clear();
    }

    /// <summary>Wildcards expand to the files they match; a path that matches nothing is an error for that path.</summary>
    private IEnumerable<string> Resolve(string path)
    {
        if (!WildcardPattern.ContainsWildcardCharacters(path)) return new[] { GetUnresolvedProviderPathFromPSPath(path) };
        try
        {
            return GetResolvedProviderPathFromPSPath(path, out _);
        }
        catch (ItemNotFoundException e)
        {
            WriteError(new ErrorRecord(e, "ImageNotFound", ErrorCategory.ObjectNotFound, path));
            return Array.Empty<string>();
        }
    }
}
