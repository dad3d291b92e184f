using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>
/// Classifies pictures (BMP or PNG) with a model. Paths may use wildcards and files may come from
/// Get-ChildItem; a file that cannot be used is an error for that file while the others go on.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ClNetInference")]
[OutputType(typeof(Prediction))]
public sealed class InvokeClNetInferenceCommand : PSCmdlet
{
    private readonly List<(string Path, float[] Input)> _inputs = new();
    private Predictor? _predictor;

    [Parameter(Mandatory = true)]
    public Model Model { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Device { get; set; }

    protected override void BeginProcessing()
    {
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
        foreach (string path in Path)
        {
            foreach (string file in Resolve(path))
                this.Try(() => _inputs.Add((file, _predictor!.Prepare(ImageFile.Read(file), file))), file);
            if (_inputs.Count >= Predictor.BatchSize) Flush();
        }
    }

    protected override void EndProcessing()
    {
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
