using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Measures a device: SGEMM GFLOP/s (1024³ and the models' shapes), copy bandwidth and launch latency.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "ClNetDevice")]
[OutputType(typeof(DeviceMeasurement))]
public sealed class MeasureClNetDeviceCommand : PSCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Index")]
    [ValidateRange(0, int.MaxValue)]
    public int Device { get; set; }

    protected override void ProcessRecord() => this.Try(() =>
    {
        var device = DeviceCatalog.Get(Device);
        WriteProgress(new ProgressRecord(1, $"Measuring {device.Name}", "matrix products, bandwidth, launch latency"));
        WriteObject(DeviceMeasurer.Measure(device));
        WriteProgress(new ProgressRecord(1, $"Measuring {device.Name}", "done") { RecordType = ProgressRecordType.Completed });
    }, Device);
}
