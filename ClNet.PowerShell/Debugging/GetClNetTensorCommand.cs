using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>
/// Lists the tensors of a training (clnet's d), or reads one, or a slice of it (clnet's name[...]).
/// A running training is read at a step boundary; a model that is not training gives its saved values.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ClNetTensor")]
[OutputType(typeof(Tensor), typeof(TensorValues))]
public sealed class GetClNetTensorCommand : TrainingOrModelCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>clnet's slice grammar: ':,0:8', '-1', '0:2'.</summary>
    [Parameter(Position = 1)]
    public string? Slice { get; set; }

    /// <summary>Read gradient(Name) instead of Name.</summary>
    [Parameter]
    public SwitchParameter Gradient { get; set; }

    /// <summary>clnet's reshaping: with fewer slice parts than dimensions, the last part spans the rest.</summary>
    [Parameter]
    public SwitchParameter Reshape { get; set; }

    /// <summary>Which replica of a multi-device training to read (0, the first, by default).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Device { get; set; }

    protected override void ProcessRecord()
    {
        var live = RunningTraining();
        var graph = live?.Graph ?? StoredModel().Graph;
        if (Name is null)
        {
            WriteObject(graph.Tensors, enumerateCollection: true);
            return;
        }
        this.Try(() => WriteObject(live is not null ? live.ReadTensor(Name, Slice, Gradient, Reshape, Cancel, Device) : StoredValues(Name, Slice, Gradient, Reshape)), Name);
    }
}
