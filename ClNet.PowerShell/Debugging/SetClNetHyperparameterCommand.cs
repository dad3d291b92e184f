using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Changes a hyper-parameter from the next step on (clnet's SGD.learning_rate *= 0.5); returns the old and new values.</summary>
[Cmdlet(VerbsCommon.Set, "ClNetHyperparameter", SupportsShouldProcess = true, DefaultParameterSetName = "Value")]
[OutputType(typeof(HyperparameterChange))]
public sealed class SetClNetHyperparameterCommand : TrainingCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Value")]
    public double Value { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Multiply")]
    public double Multiply { get; set; }

    protected override void ProcessRecord()
    {
        Func<double, double> change = ParameterSetName == "Multiply" ? v => v * Multiply : _ => Value;
        if (!ShouldProcess(Name, ParameterSetName == "Multiply" ? $"Multiply by {Multiply}" : $"Set to {Value}")) return;
        Act(s => WriteObject(s.SetHyperparameter(Name, change, Cancel)), Name);
    }
}
