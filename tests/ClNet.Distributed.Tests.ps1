BeforeAll {
    $script:manifest = (Resolve-Path (Join-Path $PSScriptRoot '../ClNet.psd1')).Path
    Import-Module $manifest -Force
    function script:Compare-Parameters($a, $b) {
        foreach ($name in ($a.Tensors | Where-Object IsSaved).Name) {
            $x = $a.Parameters.Values($name); $y = $b.Parameters.Values($name)
            $scale = [math]::Max(($x | ForEach-Object { [math]::Abs($_) } | Measure-Object -Maximum).Maximum, 1e-6)
            $worst = 0.0
            for ($i = 0; $i -lt $x.Count; $i++) { $worst = [math]::Max($worst, [math]::Abs($x[$i] - $y[$i])) }
            $worst | Should -BeLessOrEqual (1e-4 * $scale) -Because "$name differs by $worst"
        }
    }
}

Describe 'Training on several devices from PowerShell' {
    It 'splits the batch over two PoCL devices and ends with the parameters of one device' {
        # PoCL offers two CPU devices when asked before it starts, so this runs in a child PowerShell
        $script = @"
Import-Module '$manifest'
`$one = New-ClNetModel MLP -Hidden 64
`$two = New-ClNetModel MLP -Hidden 64
`$one | Start-ClNetTraining -Epochs 1 -StepsPerEpoch 20 -BatchSize 50 -Wait | Out-Null
`$log = `$two | Start-ClNetTraining -Device 0,1 -Epochs 1 -StepsPerEpoch 20 -BatchSize 50 -Wait
`$one | Save-ClNetModel '$TestDrive/one.clnetparams'
`$two | Save-ClNetModel '$TestDrive/two.clnetparams'
'DEVICES {0}' -f `$log[-1].Devices
"@
        $saved = $env:POCL_DEVICES
        $env:POCL_DEVICES = 'pthread pthread'
        try { $out = pwsh -NoProfile -NonInteractive -Command $script } finally { $env:POCL_DEVICES = $saved }
        $LASTEXITCODE | Should -Be 0
        $out | Should -Contain 'DEVICES 2'
        Compare-Parameters (Import-ClNetModel "$TestDrive/one.clnetparams") (Import-ClNetModel "$TestDrive/two.clnetparams")
    }

    It 'says which devices exist when one is missing' {
        { New-ClNetModel MLP | Start-ClNetTraining -Device 0, 9 -Wait -ErrorAction Stop } | Should -Throw -ErrorId 'DeviceIndexOutOfRange*'
    }
}

Describe 'Training across processes with MPI' {
    It 'averages gradients over two ranks and ends with the parameters of one process' {
        if (-not (Get-Command mpirun -ErrorAction SilentlyContinue)) {
            Set-ItResult -Skipped -Because 'mpirun was not found: install openmpi-bin and libopenmpi-dev (build.ps1 does where apt-get is usable)'
            return
        }
        $script = Join-Path $TestDrive 'rank.ps1'
        Set-Content $script @"
Import-Module '$manifest'
`$m = New-ClNetModel MLP -Hidden 64
`$m | Start-ClNetTraining -Distributed -Epochs 1 -StepsPerEpoch 20 -BatchSize 50 -Wait | Out-Null
`$m | Save-ClNetModel '$TestDrive/ranks.clnetparams'
"@
        if ((& id -u) -eq '0') { $env:OMPI_ALLOW_RUN_AS_ROOT = '1'; $env:OMPI_ALLOW_RUN_AS_ROOT_CONFIRM = '1' }
        $output = & mpirun -np 2 --oversubscribe pwsh -NoProfile -NonInteractive -File $script 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $single = New-ClNetModel MLP -Hidden 64
        $single | Start-ClNetTraining -Epochs 1 -StepsPerEpoch 20 -BatchSize 50 -Wait | Out-Null
        Compare-Parameters $single (Import-ClNetModel "$TestDrive/ranks.clnetparams")
    }
}
