using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>The saved tensors of a model, largest first, with the total and trainable counts (clnet's /pp).</summary>
[Cmdlet(VerbsCommon.Get, "ClNetParameter")]
[OutputType(typeof(ParameterEntry))]
public sealed class GetClNetParameterCommand : TrainingOrModelCmdlet
{
    protected override void ProcessRecord()
    {
        var model = StoredModel();
        WriteObject(GraphListing.Parameters(model.Graph), enumerateCollection: true);
        WriteInformation($"Total number of parameters: {model.ParameterCount:N0}, trainable: {model.TrainableParameterCount:N0}", new[] { "ClNet" });
    }
}
