using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Sets, adds to or multiplies the elements of a tensor slice in a running training, at a step boundary.</summary>
[Cmdlet(VerbsCommon.Set, "ClNetTensor", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Value")]
[OutputType(typeof(TensorValues))]
public sealed class SetClNetTensorCommand : TrainingCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Position = 1)]
    public string? Slice { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Value")]
    public float Value { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Add")]
    public float Add { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "Multiply")]
    public float Multiply { get; set; }

    [Parameter]
    public SwitchParameter Gradient { get; set; }

    [Parameter]
    public SwitchParameter Reshape { get; set; }

    /// <summary>Change only this replica of a multi-device training (by default every replica, so that they stay identical).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Device { get; set; }

    /// <summary>Write the slice's new values.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        Func<float, float> change = ParameterSetName switch
        {
            "Add" => v => v + Add,
            "Multiply" => v => v * Multiply,
            _ => _ => Value,
        };
        string what = ParameterSetName switch { "Add" => $"Add {Add}", "Multiply" => $"Multiply by {Multiply}", _ => $"Set to {Value}" };
        string target = $"{(Gradient ? $"gradient({Name})" : Name)}[{Slice ?? ":"}]";
        Act(s =>
        {
            if (!ShouldProcess(target, what)) return;
            int? device = MyInvocation.BoundParameters.ContainsKey(nameof(Device)) ? Device : null;
            s.WriteTensor(Name, Slice, change, Gradient, Reshape, Cancel, device);
            if (PassThru) WriteObject(s.ReadTensor(Name, Slice, Gradient, Reshape, Cancel, device ?? 0));
        }, Name);
    }
}
