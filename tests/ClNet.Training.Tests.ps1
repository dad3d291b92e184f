BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../ClNet.psd1') -Force
    function script:SmallMlp([int] $Seed = 1) { New-ClNetModel MLP -Seed $Seed -Option @{ Hidden = 64 } }
}
AfterAll { Get-Job | Where-Object PSJobTypeName -eq 'ClNetTraining' | Remove-Job -Force }

Describe 'Start-ClNetTraining as a background job' {
    It 'returns a job that the job cmdlets understand' {
        $job = SmallMlp | Start-ClNetTraining -Epochs 2 -StepsPerEpoch 30 -ReportEvery 10 -Name pester-mlp
        $job | Should -BeOfType ([System.Management.Automation.Job])
        $job.PSJobTypeName | Should -Be 'ClNetTraining'
        (Get-Job -Id $job.Id).InstanceId | Should -Be $job.InstanceId
        (Get-Job -Name pester-mlp).Id | Should -Be $job.Id
        $job | Wait-Job -Timeout 60 | Out-Null
        $job.State | Should -Be 'Completed'

        # the progress stream (Receive-Job passes it to Write-Progress, and drains it)
        $job.Progress.Count | Should -Be 10
        $job.Progress[0].PercentComplete | Should -Be 2
        $job.Progress[-2].PercentComplete | Should -Be 100
        $job.Progress[-1].RecordType | Should -Be 'Completed'

        $records = @(Receive-Job $job)
        $records[0] | Should -BeOfType ([ClNet.Engine.TrainingProgress])
        $records.Count | Should -Be 9   # the first step, steps 10, 20 and 30 of both epochs, 2 epoch records
        @($records | Where-Object Kind -eq 'Epoch').Count | Should -Be 2
        $records[-1].Iteration | Should -Be 60
        $records[-1].PercentComplete | Should -Be 100
        $records | ForEach-Object { $_.SamplesPerSecond | Should -BeGreaterThan 0; $_.Elapsed | Should -BeOfType ([timespan]) }
        $job.HasMoreData | Should -BeFalse


        Remove-Job $job
        Get-Job -Id $job.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'streams records with Receive-Job -Wait -AutoRemoveJob' {
        $job = SmallMlp | Start-ClNetTraining -Epochs 1 -StepsPerEpoch 20 -ReportEvery 5
        $records = @(Receive-Job $job -Wait -AutoRemoveJob)
        $records.Count | Should -Be 6
        Get-Job -Id $job.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'stops at a step boundary and leaves a usable model' {
        $model = SmallMlp
        $before = $model.Parameters.Values('l0_weight')
        $job = $model | Start-ClNetTraining -Epochs 100000 -ReportEvery 10
        while (@($job.Output).Count -lt 3) { Start-Sleep -Milliseconds 50 }
        $job.State | Should -Be 'Running'
        $model.Training | Should -Not -BeNullOrEmpty
        Stop-Job $job
        $job.State | Should -Be 'Stopped'
        $model.Training | Should -BeNullOrEmpty
        $after = $model.Parameters.Values('l0_weight')
        $after | Should -Not -Be $before
        $after | ForEach-Object { [float]::IsFinite($_) | Should -BeTrue }
        # the model trains again and saves
        $again = $model | Start-ClNetTraining -Epochs 1 -StepsPerEpoch 10 -Wait
        $again[-1].Kind | Should -Be 'Epoch'
        $model | Save-ClNetModel (Join-Path $TestDrive 'stopped.clnetparams')
        Remove-Job $job
    }

    It 'refuses a second training of a model that is training' {
        $model = SmallMlp
        $job = $model | Start-ClNetTraining -Epochs 100000
        $model | Start-ClNetTraining -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ModelBusy,*'
        $job | Remove-Job -Force
        $job.State | Should -Be 'Stopped'
    }

    It 'trains two models at once in one runspace' {
        $a = SmallMlp 1
        $b = SmallMlp 2
        $jobs = $a, $b | Start-ClNetTraining -Epochs 1 -StepsPerEpoch 100 -ReportEvery 50
        $jobs.Count | Should -Be 2
        $jobs | Wait-Job -Timeout 60 | Out-Null
        $jobs.State | Should -Be 'Completed', 'Completed'
        foreach ($j in $jobs) {
            $r = @(Receive-Job $j)
            $r[-1].Loss | Should -BeLessThan $r[0].Loss
        }
        $jobs | Remove-Job
    }
}

Describe 'Start-ClNetTraining -Wait' {
    It 'trains in the foreground and writes the records' {
        $records = @(SmallMlp | Start-ClNetTraining -Epochs 1 -StepsPerEpoch 40 -ReportEvery 20 -Wait)
        $records.Count | Should -Be 4
        $records[-1].Kind | Should -Be 'Epoch'
        $records[-1].Loss | Should -BeLessThan $records[0].Loss
    }

    It 'is reproducible for a seed' {
        $a = SmallMlp 3 | Start-ClNetTraining -Epochs 1 -StepsPerEpoch 30 -ReportEvery 10 -Seed 4 -Wait
        $b = SmallMlp 3 | Start-ClNetTraining -Epochs 1 -StepsPerEpoch 30 -ReportEvery 10 -Seed 4 -Wait
        $a.Loss | Should -Be $b.Loss
    }

    It 'lowers the MLP loss tenfold in its first epoch' {
        $records = New-ClNetModel MLP | Start-ClNetTraining -Epochs 1 -Wait
        $end = $records | Where-Object Kind -eq 'Step' | Select-Object -Last 1
        $end.Loss * 10 | Should -BeLessThan $records[0].Loss
    }

    It 'writes records that Export-Csv and Import-Csv round-trip' {
        $file = Join-Path $TestDrive 'log.csv'
        SmallMlp | Start-ClNetTraining -Epochs 1 -StepsPerEpoch 10 -ReportEvery 5 -Wait | Export-Csv $file
        $rows = Import-Csv $file
        $rows.Count | Should -Be 4
        [double]$rows[0].Loss | Should -BeGreaterThan 0
        $rows[0].Model | Should -Be 'MLP'
    }

    It 'does nothing with -WhatIf' {
        $model = SmallMlp
        $before = $model.Parameters.Values('l1_weight')
        $model | Start-ClNetTraining -Epochs 1 -StepsPerEpoch 10 -Wait -WhatIf | Should -BeNullOrEmpty
        $model.Parameters.Values('l1_weight') | Should -Be $before
    }

    It 'rejects bad settings before anything starts, naming them' -ForEach @(
        @{ Setting = @{ Epochs = 0 }; Id = 'ParameterArgumentValidationError' }
        @{ Setting = @{ BatchSize = 0 }; Id = 'ParameterArgumentValidationError' }
        @{ Setting = @{ Device = 42 }; Id = 'DeviceIndexOutOfRange' }
    ) {
        $model = SmallMlp
        $err = $null
        try { $model | Start-ClNetTraining @Setting -Wait -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err.CategoryInfo.Category | Should -BeIn 'InvalidArgument', 'InvalidData'
        $err.Exception.Message | Should -Match ([string]$Setting.Values[0])
        Get-Job | Where-Object { $_.PSJobTypeName -eq 'ClNetTraining' -and $_.State -eq 'Running' } | Should -BeNullOrEmpty
    }
}

Describe 'Save-ClNetModel and Import-ClNetModel' {
    BeforeAll {
        $script:model = SmallMlp 9
        $model | Start-ClNetTraining -Epochs 1 -StepsPerEpoch 20 -Wait | Out-Null
        $script:file = Join-Path $TestDrive 'mlp.clnetparams'
    }

    It 'round-trips a trained model' {
        $model | Save-ClNetModel $file
        Get-ChildItem $TestDrive -Filter *.tmp | Should -BeNullOrEmpty
        $copy = Import-ClNetModel $file
        $copy.Name | Should -Be 'MLP'
        $copy.Options.Text('Hidden') | Should -Be '64'
        foreach ($name in 'l0_weight', 'l0_bias', 'l1_weight', 'l1_bias') {
            $copy.Parameters.Values($name) | Should -Be $model.Parameters.Values($name)
        }
        $fresh = New-ClNetModel MLP -Option @{ Hidden = 64 } -ParameterPath $file
        $fresh.Parameters.Values('l1_weight') | Should -Be $model.Parameters.Values('l1_weight')
        (Get-Item $file | Import-ClNetModel).Name | Should -Be 'MLP'
    }

    It 'writes nothing with -WhatIf and keeps a file with -NoClobber' {
        $other = Join-Path $TestDrive 'whatif.clnetparams'
        $model | Save-ClNetModel $other -WhatIf
        Test-Path $other | Should -BeFalse
        $model | Save-ClNetModel $file -NoClobber -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FileExists,*'
        ($model | Save-ClNetModel $other -PassThru).Name | Should -Be 'whatif.clnetparams'
    }

    It 'rejects a truncated file and changes nothing' {
        $cut = Join-Path $TestDrive 'cut.clnetparams'
        $bytes = [IO.File]::ReadAllBytes($file)
        [IO.File]::WriteAllBytes($cut, $bytes[0..($bytes.Length / 2)])
        $target = SmallMlp 1
        $before = $target.Parameters.Values('l0_weight')
        Import-ClNetModel $cut -Model $target -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidParameterFile,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].Exception.Message | Should -Match 'cut.clnetparams'
        $target.Parameters.Values('l0_weight') | Should -Be $before
    }

    It 'rejects a file of another shape and changes nothing' {
        $target = New-ClNetModel MLP -Option @{ Hidden = 32 }
        $before = $target.Parameters.Values('l0_weight')
        Import-ClNetModel $file -Model $target -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ParameterShapeMismatch,*'
        $err[0].Exception.Message | Should -Match '\[2,64\]'
        $target.Parameters.Values('l0_weight') | Should -Be $before
    }

    It 'names a missing file' {
        New-ClNetModel MLP -ParameterPath (Join-Path $TestDrive 'none.clnetparams') -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ParameterFileNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
