using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Lists the hyper-parameters of a running training (SGD.learning_rate, ...).</summary>
[Cmdlet(VerbsCommon.Get, "ClNetHyperparameter")]
[OutputType(typeof(Hyperparameter))]
public sealed class GetClNetHyperparameterCommand : TrainingCmdlet
{
    /// <summary>Only the names that match this pattern (wildcards allowed).</summary>
    [Parameter(Position = 0)]
    public string? Name { get; set; }

    protected override void ProcessRecord() => Act(s =>
    {
        var pattern = new WildcardPattern(Name ?? "*", WildcardOptions.IgnoreCase);
        WriteObject(s.Hyperparameters(Cancel).Where(h => pattern.IsMatch(h.Name)), enumerateCollection: true);
    });
}
