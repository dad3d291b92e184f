BeforeAll {
    $script:manifest = Join-Path $PSScriptRoot '../ClNet.psd1'
    Import-Module $manifest -Force
    function script:WaitFor([scriptblock] $Condition, [int] $Seconds = 60) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while (-not (& $Condition)) {
            if ($clock.Elapsed.TotalSeconds -gt $Seconds) { throw "timed out waiting for $Condition" }
            Start-Sleep -Milliseconds 20
        }
    }
    $script:model = New-ClNetModel MLP -Option @{ Hidden = 64 }
    $script:job = $model | Start-ClNetTraining -Epochs 100000 -ReportEvery 50 -Name debugged
}
AfterAll { Get-Job | Where-Object PSJobTypeName -eq 'ClNetTraining' | Remove-Job -Force }

Describe 'Debugging a running training job' {
    It 'stops at a breakpoint, and the job shows it' {
        $bp = Set-ClNetBreakpoint SGD
        $bp.Name | Should -Be 'SGD'
        WaitFor { $job.State -eq 'AtBreakpoint' }
        $job.StatusMessage | Should -Match 'SGD'
        (Get-ClNetBreakpoint).Hits | Should -BeGreaterOrEqual 1
    }

    It 'suggests the nearest names for an unknown node' {
        Set-ClNetBreakpoint FCLayer_O -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnknownBreakpointTarget,*'
        $err[0].Exception.Message | Should -Match 'FCLayer_0'
    }

    It 'lists every tensor and reads slices of values and gradients' {
        $all = @(Get-ClNetTensor)
        $all.Name | Should -Contain 'gradient(l0_weight)'
        ($all | Where-Object Name -eq 'X').Role | Should -Be 'Data'
        $slice = Get-ClNetTensor l0_weight -Slice ':,0:8'
        $slice.Name | Should -Be 'l0_weight'
        $slice.Shape.ToString() | Should -Be '[2,64]'
        $slice.Values.Rank | Should -Be 2
        $slice.Values.GetLength(0) | Should -Be 2
        $slice.Values.GetLength(1) | Should -Be 8
        ($slice | Out-String) | Should -Match 'data\[0:2/2,0:8/64\] for l0_weight\[2,64\]: Weight'
        $row = Get-ClNetTensor l0_weight '-1,-2:'
        $row.Values.Count | Should -Be 2
        $row.Values[1] | Should -Be (Get-ClNetTensor l0_weight).Values[1, 63]
        $gradient = Get-ClNetTensor l0_weight ':,0:8' -Gradient
        $gradient.Name | Should -Be 'gradient(l0_weight)'
        @($gradient.Values | Where-Object { $_ -ne 0 }).Count | Should -BeGreaterThan 0
        { Get-ClNetTensor l0_weight -Slice ':,0:100' -ErrorAction Stop } | Should -Throw -ErrorId 'SliceOutOfRange*'
    }

    It 'steps over the update and stops before the next node' {
        $before = (Get-ClNetTensor l0_weight).Values
        $point = Step-ClNetTraining
        $point.Name | Should -Be 'X'
        $job.State | Should -Be 'Suspended'
        $after = (Get-ClNetTensor l0_weight).Values
        $after | Should -Not -Be $before
    }

    It 'sets a slice, with -WhatIf doing nothing' {
        Set-ClNetTensor l0_bias -Slice '0:4' -Value 7 -WhatIf
        (Get-ClNetTensor l0_bias '0:4').Values | Should -Not -Contain 7
        $new = Set-ClNetTensor l0_bias -Slice '0:4' -Value 7 -PassThru -Confirm:$false
        $new.Values | Should -Be 7, 7, 7, 7
        Set-ClNetTensor l0_bias -Slice '0:2' -Multiply 2 -Confirm:$false
        (Get-ClNetTensor l0_bias '0:4').Values | Should -Be 14, 14, 7, 7
    }

    It 'saves and loads the paused model with the values on the device' {
        $file = Join-Path $TestDrive 'paused.clnetparams'
        $model | Save-ClNetModel $file
        (Import-ClNetModel $file).Parameters.Values('l0_bias')[0..3] | Should -Be 14, 14, 7, 7
        Set-ClNetTensor l0_bias -Value 0 -Confirm:$false
        Import-ClNetModel $file -Model $model -Confirm:$false | Out-Null
        (Get-ClNetTensor l0_bias '0:4').Values | Should -Be 14, 14, 7, 7
    }

    It 'exports and imports tensors, and rejects a file of another shape' {
        $file = Join-Path $TestDrive 'l1_weight.csv'
        Export-ClNetTensor l1_weight $file
        (Import-Csv $file).Count | Should -Be 64
        Set-ClNetTensor l1_weight -Value 0 -Confirm:$false
        Import-ClNetTensor $file -Confirm:$false
        (Get-ClNetTensor l1_weight).Values | Should -Not -Contain 0
        $bias = Join-Path $TestDrive 'l0_bias.csv'
        Export-ClNetTensor l0_bias $bias
        $before = (Get-ClNetTensor l1_weight).Values
        Import-ClNetTensor $bias -Name l1_bias -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TensorShapeMismatch,*'
        (Get-ClNetTensor l1_weight).Values | Should -Be $before
    }

    It 'lists the graph and the parameters' {
        $ops = @(Get-ClNetGraph -OperatorsOnly)
        $ops[0].Name | Should -Be 'FCLayer_0'
        $ops.Phase | Should -Contain 'Backward'
        $ops[-1].Name | Should -Be 'SGD'
        @(Get-ClNetGraph).Count | Should -BeGreaterThan $ops.Count
        $parameters = @(Get-ClNetParameter -InformationVariable info)
        $parameters[0].Count | Should -BeGreaterOrEqual $parameters[-1].Count
        "$info" | Should -Match 'Total number of parameters: 257, trainable: 257'
    }

    It 'changes a hyper-parameter from the next step on' {
        (Get-ClNetHyperparameter).Name | Should -Contain 'SGD.learning_rate'
        $change = Set-ClNetHyperparameter SGD.learning_rate -Multiply 0.5 -Confirm:$false
        $change.NewValue | Should -Be ($change.OldValue * 0.5)
        Set-ClNetHyperparameter SGD.learning_rate 0 -Confirm:$false | Out-Null
        Set-ClNetHyperparameter SGD.momentum 0 -Confirm:$false | Out-Null
        $frozen = (Get-ClNetTensor l0_weight).Values
        1..20 | ForEach-Object { Step-ClNetTraining | Out-Null }
        (Get-ClNetTensor l0_weight).Values | Should -Be $frozen
        Set-ClNetHyperparameter SGD.learning_rate 0.0005 -Confirm:$false | Out-Null
        1..20 | ForEach-Object { Step-ClNetTraining | Out-Null }
        (Get-ClNetTensor l0_weight).Values | Should -Not -Be $frozen
    }

    It 'resumes, profiles, and exports a profile that Import-Csv reads back' {
        Remove-ClNetBreakpoint SGD
        Start-ClNetProfile
        Resume-ClNetTraining
        WaitFor { $job.State -eq 'Running' }
        $count = @($job.Output).Count
        WaitFor { @($job.Output).Count -ge $count + 3 }
        $profile = @(Get-ClNetProfile)
        $profile.Name | Should -Contain 'FCLayer_0'
        $profile[0].TotalMilliseconds | Should -BeGreaterOrEqual $profile[-1].TotalMilliseconds
        ($profile | Measure-Object Percent -Sum).Sum | Should -BeGreaterThan 99.9
        $csv = Join-Path $TestDrive 'profile.csv'
        $profile | Export-Csv $csv
        $back = Import-Csv $csv
        $back.Name | Should -Be $profile.Name
        [long]($back | Where-Object Name -eq 'SGD').Calls | Should -Be ($profile | Where-Object Name -eq 'SGD').Calls
        Stop-ClNetProfile
        # by kernel: each node's time split over the kernels it launched, summing to the node's time
        $kernels = @(Get-ClNetProfile -ByKernel)
        $kernels.Kernel | Should -Contain 'sgd_momentum'
        $node = @(Get-ClNetProfile) | Where-Object Name -eq 'FCLayer_0'
        $split = $kernels | Where-Object Name -eq 'FCLayer_0'
        ($split | Measure-Object TotalMilliseconds -Sum).Sum | Should -BeGreaterThan (0.999 * $node.TotalMilliseconds)
        ($split | Measure-Object TotalMilliseconds -Sum).Sum | Should -BeLessThan (1.001 * $node.TotalMilliseconds)
    }

    It 'reloads edited kernels, and keeps training on a broken edit' {
        $folder = Join-Path $TestDrive 'kernels'
        Copy-Item -Recurse (Join-Path $PSScriptRoot '../kernels') $folder
        $reload = Update-ClNetKernel -Path $folder -Confirm:$false
        $reload.Kernels | Should -BeGreaterThan 10
        $reload.BuildMilliseconds | Should -BeGreaterThan 0
        Add-Content (Join-Path $folder 'optimizer.cl') "`n__kernel void broken(void) { undefined_call(); }"
        Update-ClNetKernel -Path $folder -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'KernelBuildFailed,*'
        $err[0].Exception.BuildLog | Should -Match 'undefined_call'
        $count = @($job.Output).Count
        WaitFor { @($job.Output).Count -ge $count + 2 }
        $job.State | Should -Be 'Running'
    }

    It 'suspends a running training and stops it cleanly' {
        $point = Suspend-ClNetTraining
        $point | Should -Not -BeNullOrEmpty
        $job.State | Should -Be 'Suspended'
        Stop-Job $job
        $job.State | Should -Be 'Stopped'
        $model.Training | Should -BeNullOrEmpty
        { Get-ClNetTensor FCLayer_0 -Job $job -ErrorAction Stop } | Should -Throw -ErrorId 'TensorNotStored*'   # lived on the device only
        (Get-ClNetTensor l0_weight -Model $model).Values.Count | Should -Be 128
    }

    It 'acts on the job it is given rather than the latest one' {
        $other = New-ClNetModel MLP -Option @{ Hidden = 8 } | Start-ClNetTraining -Epochs 100000
        $fresh = New-ClNetModel MLP -Option @{ Hidden = 16 } | Start-ClNetTraining -Epochs 100000
        ($other | Get-ClNetTensor l0_weight).Shape.ToString() | Should -Be '[2,8]'
        (Get-ClNetTensor l0_weight).Shape.ToString() | Should -Be '[2,16]'
        $other, $fresh | Remove-Job -Force
    }

    It 'says so when there is no training' {
        $out = pwsh -NoProfile -NonInteractive -Command "Import-Module '$((Resolve-Path $manifest).Path)'; try { Get-ClNetTensor -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId }"
        $out | Should -BeLike 'NoTraining,*'
    }
}
