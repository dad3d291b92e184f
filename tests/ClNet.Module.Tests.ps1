BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../ClNet.psd1') -Force   # the help test is generated per cmdlet
}
BeforeAll {
    $script:manifest = Join-Path $PSScriptRoot '../ClNet.psd1'
    Import-Module $manifest -Force
}

Describe 'The ClNet module' {
    It 'lists its cmdlets by name in the manifest' {
        $data = Import-PowerShellDataFile $manifest
        $data.CmdletsToExport | Should -Not -Contain '*'
        $exported = (Get-Command -Module ClNet -CommandType Cmdlet).Name
        $exported | Should -Contain 'Get-ClNetDevice'
        $exported | Should -Contain 'Start-ClNetTraining'
        ($exported | Sort-Object) | Should -Be ($data.CmdletsToExport | Sort-Object)
    }

    It 'imports from any folder' {
        $out = pwsh -NoProfile -NonInteractive -WorkingDirectory ([IO.Path]::GetTempPath()) -Command "Import-Module '$((Resolve-Path $manifest).Path)'; (New-ClNetModel MLP).Name"
        $LASTEXITCODE | Should -Be 0
        $out | Should -Be 'MLP'
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        foreach ($c in Get-Command -Module ClNet) { $approved | Should -Contain $c.Verb }
    }

    It 'has help with a synopsis, an example and every parameter described for <_>' -ForEach @(Get-Command -Module ClNet -CommandType Cmdlet).Name {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*\S+\s+\['   # not the auto-generated syntax line
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($p in (Get-Command $_).Parameters.Keys | Where-Object { $_ -notin $common }) {
            ($help.Parameters.Parameter | Where-Object Name -eq $p).Description | Should -Not -BeNullOrEmpty -Because "-$p needs a description"
        }
    }

    It 'completes model names with Tab' {
        $line = 'New-ClNetModel M'
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Contain 'MLP'
    }
}

Describe 'Get-ClNetDevice' {
    It 'writes device objects with their properties' {
        $devices = @(Get-ClNetDevice)
        $devices.Count | Should -BeGreaterThan 0
        $d = $devices[0]
        $d | Should -BeOfType ([ClNet.Engine.DeviceInfo])
        $d.Index | Should -Be 0
        $d.Name | Should -Not -BeNullOrEmpty
        $d.Platform | Should -Not -BeNullOrEmpty
        $d.Type | Should -BeIn 'CPU', 'GPU', 'Accelerator', 'Other'
        $d.ComputeUnits | Should -BeGreaterThan 0
        $d.GlobalMemoryBytes | Should -BeGreaterThan 0
        $d.OpenClVersion | Should -Match 'OpenCL'
    }

    It 'prints as a table' {
        $text = Get-ClNetDevice | Out-String
        $text | Should -Match 'Index\s+Type\s+Name'
        $text | Should -Match 'Memory\(GB\)'
    }

    It 'names an index out of range, with an error id and category' {
        Get-ClNetDevice -Index 99 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DeviceIndexOutOfRange,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match '99'
    }

    It 'says what to install when there is no OpenCL platform' {
        $empty = New-Item -ItemType Directory (Join-Path $TestDrive 'no-icds')
        $script = "Import-Module '$((Resolve-Path $manifest).Path)'; try { Get-ClNetDevice -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.CategoryInfo.Category; `$_.Exception.Message }"
        $env:OCL_ICD_VENDORS, $saved = $empty.FullName, $env:OCL_ICD_VENDORS
        try { $out = pwsh -NoProfile -NonInteractive -Command $script }
        finally { $env:OCL_ICD_VENDORS = $saved }
        $out[0] | Should -BeLike 'NoOpenClPlatform,*'
        $out[1] | Should -Be 'NotInstalled'
        $out[2] | Should -Match 'pocl-opencl-icd'
    }
}

Describe 'Measure-ClNetDevice' {
    It 'measures the product kernels the device table picks, bandwidth and launch latency' {
        $m = Measure-ClNetDevice -Device 0
        $m | Should -BeOfType ([ClNet.Engine.DeviceMeasurement])
        $expected = if ((Get-ClNetDevice)[0].Type -in 'GPU', 'Accelerator') { 'Tiles' } else { 'Registers' }
        "$($m.GemmKernels)" | Should -Be $expected
        $m.SgemmGflops | Should -BeGreaterThan 0
        @($m.ModelShapes).Count | Should -Be 6
        $m.ModelShapes | ForEach-Object { $_.Gflops | Should -BeGreaterThan 0 }
        $m.BandwidthGBs | Should -BeGreaterThan 0
        $m.LaunchLatencyMicroseconds | Should -BeGreaterThan 0
        ($m | Out-String) | Should -Match "Product kernels\s+:\s+(\e\[0m)?$expected"
    }

    It 'names a CLNET_GEMM setting that is not a kernel family' {
        $env:CLNET_GEMM, $saved = 'fast', $env:CLNET_GEMM
        try { Measure-ClNetDevice -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty }
        finally { $env:CLNET_GEMM = $saved }
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidGemmVariant,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match "CLNET_GEMM='fast'.*Registers, Tiles"
    }
}

Describe 'New-ClNetModel' {
    It 'creates the MLP with clnet''s tensor names' {
        $m = New-ClNetModel MLP
        $m | Should -BeOfType ([ClNet.Engine.Model])
        $m.Name | Should -Be 'MLP'
        $m.ParameterCount | Should -Be 16385
        $m.Tensors.Name | Should -Contain 'l0_weight'
        $m.Tensors.Name | Should -Contain 'gradient(l0_weight)'
        ($m.Tensors | Where-Object Name -eq 'l0_weight').Shape.ToString() | Should -Be '[2,4096]'
        ($m | Out-String) | Should -Match 'MLP\s+16,385'
        ($m.Tensors | Out-String) | Should -Match 'l0_weight\s+Weight\s+\[2,4096\]'
    }

    It 'lists the known models when the name is unknown' {
        New-ClNetModel NoSuchNet -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnknownModel,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match 'MLP'
        $err[0].TargetObject | Should -Be 'NoSuchNet'
    }

    It 'takes model options and rejects unknown ones' {
        (New-ClNetModel MLP -Option @{ Hidden = 16 }).ParameterCount | Should -Be (2 * 16 + 16 + 16 + 1)
        New-ClNetModel MLP -Option @{ Depth = 3 } -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.Message | Should -Match 'Hidden'
    }

    It 'gives the same parameters for the same seed' {
        $a = New-ClNetModel MLP -Seed 5 -Option @{ Hidden = 16 }
        $b = New-ClNetModel MLP -Seed 5 -Option @{ Hidden = 16 }
        $c = New-ClNetModel MLP -Seed 6 -Option @{ Hidden = 16 }
        $a.Parameters.Values('l0_weight') | Should -Be $b.Parameters.Values('l0_weight')
        $a.Parameters.Values('l0_weight') | Should -Not -Be $c.Parameters.Values('l0_weight')
    }
}
