using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>The execution order of a training's graph as objects, forward and backward (clnet's /ds and /dso).</summary>
[Cmdlet(VerbsCommon.Get, "ClNetGraph")]
[OutputType(typeof(GraphEntry))]
public sealed class GetClNetGraphCommand : TrainingOrModelCmdlet
{
    /// <summary>Only the nodes, without the tensors.</summary>
    [Parameter]
    public SwitchParameter OperatorsOnly { get; set; }

    protected override void ProcessRecord()
    {
        var graph = Model is not null && Job is null && Session is null ? Model.Training?.ModelGraph ?? Model.BuildGraph(Model.Defaults.BatchSize) : Training().ModelGraph;
        WriteObject(GraphListing.Of(graph, OperatorsOnly), enumerateCollection: true);
    }
}
