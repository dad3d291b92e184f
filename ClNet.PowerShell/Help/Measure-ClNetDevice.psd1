@{
    Synopsis    = 'Measures an OpenCL device with ClNet''s own kernels.'
    Description = @'
Measure-ClNetDevice times ClNet's matrix product at 1024x1024x1024 and at the shapes its models use (LeNet-5's convolution and feature layer, the Wide ResNet's first group, the char-RNN's input and recurrent products, the MLP's first layer), a 64 MiB copy on the device, and the cost of a kernel launch, both waiting for each launch and queued back to back. Each figure is the median of several repetitions after a warm-up. It also reports how long the kernels took to build and whether they came from the cache, and which family of product kernels the device runs (GemmKernels): Tiles on GPUs and accelerators, Registers on CPUs, unless the CLNET_GEMM environment variable chooses one.

A measurement, not a test: the figures depend on what else the machine is doing.
'@
    Parameters  = @{
        Device = 'The index of the device to measure (see Get-ClNetDevice); devices piped from Get-ClNetDevice bind by their Index. The default is 0.'
    }
    Examples    = @(
        @{ Code = 'Measure-ClNetDevice'; Remarks = 'Measures device 0.' }
        @{ Code = '(Measure-ClNetDevice).ModelShapes | Format-Table'; Remarks = 'Shows the GFLOP/s at each model shape.' }
        @{ Code = '$env:CLNET_GEMM = ''Tiles''; Measure-ClNetDevice | Select-Object GemmKernels, SgemmGflops; $env:CLNET_GEMM = $null'; Remarks = 'Measures the GPU kernels on device 0 whatever its type, then goes back to the default table.' }
        @{ Code = 'Get-ClNetDevice | Measure-ClNetDevice | Select-Object Device, SgemmGflops, BandwidthGBs'; Remarks = 'Compares every device.' }
    )
    Links       = @('Get-ClNetDevice')
}
