using System.Management.Automation;
using ClNet.Engine;

namespace ClNet.PowerShell;

/// <summary>Lists the OpenCL devices of this machine.</summary>
[Cmdlet(VerbsCommon.Get, "ClNetDevice")]
[OutputType(typeof(DeviceInfo))]
public sealed class GetClNetDeviceCommand : PSCmdlet
{
    /// <summary>Only the devices with these indexes.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ValidateRange(0, int.MaxValue)]
    public int[]? Index { get; set; }

    protected override void ProcessRecord()
    {
        IReadOnlyList<DeviceInfo> devices;
        try
        {
            devices = DeviceCatalog.List();
        }
        catch (ClNetException e)
        {
            ThrowTerminatingError(ClNetErrors.ToRecord(e));
            return;
        }
        if (Index is null)
        {
            foreach (var d in devices) WriteObject(d);
            return;
        }
        foreach (int i in Index)
            this.Try(() => WriteObject(DeviceCatalog.Get(i)), i);
    }
}
