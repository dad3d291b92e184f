@{
    Synopsis    = 'Lists the OpenCL devices ClNet can train on.'
    Description = @'
Get-ClNetDevice enumerates every OpenCL platform and device of this machine and writes one DeviceInfo object per device: its index (the number that Start-ClNetTraining -Device takes), platform, name, type (CPU, GPU or Accelerator), compute units, global memory and OpenCL version.

On a machine without a GPU, Debian's PoCL package (pocl-opencl-icd) provides a CPU device. When no OpenCL platform is installed the command fails with the error id NoOpenClPlatform and says what to install.
'@
    Parameters  = @{
        Index = 'Only the devices with these indexes. An index that does not exist is an error (DeviceIndexOutOfRange) that lists the devices there are.'
    }
    Examples    = @(
        @{ Code = 'Get-ClNetDevice'; Remarks = 'Lists all OpenCL devices as a table.' }
        @{ Code = 'Get-ClNetDevice | Where-Object Type -eq GPU | Select-Object -First 1'; Remarks = 'Picks the first GPU.' }
        @{ Code = 'Get-ClNetDevice -Index 0 | Format-List *'; Remarks = 'Shows every property of device 0, including the driver version.' }
    )
    Links       = @('Start-ClNetTraining')
}
