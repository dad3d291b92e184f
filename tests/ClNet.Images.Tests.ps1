BeforeAll {
    $script:manifest = Join-Path $PSScriptRoot '../ClNet.psd1'
    Import-Module $manifest -Force
    . (Join-Path $PSScriptRoot 'TestData.ps1')
    $script:mnist = New-TestMnist (Join-Path $TestDrive 'mnist')
    # one LeNet-5 trained on the block pictures, shared by the inference tests
    $script:lenet = New-ClNetModel MNIST_CNN -DataPath $mnist
    $script:log = @($lenet | Start-ClNetTraining -Epochs 2 -ReportEvery 5 -Wait)
}
AfterAll { Get-Job | Where-Object PSJobTypeName -eq 'ClNetTraining' | Remove-Job -Force }

Describe 'MNIST_CNN from PowerShell' {
    It 'reports training loss and accuracy, and the test accuracy once per epoch' {
        $epochs = @($log | Where-Object Kind -eq 'Epoch')
        $epochs.Count | Should -Be 2
        $epochs | ForEach-Object { $_.TestAccuracy | Should -BeGreaterOrEqual 0; $_.TestAccuracy | Should -BeLessOrEqual 1 }
        $epochs[-1].TestAccuracy | Should -BeGreaterThan 0.9
        $epochs[-1].Accuracy | Should -BeGreaterThan 0.5
        ($log | Where-Object Kind -eq 'Step')[0].Accuracy | Should -Not -BeNullOrEmpty
        ($log | Format-Table | Out-String) | Should -Match 'Test'
    }

    It 'reports the epoch records through Receive-Job too' {
        $job = New-ClNetModel MNIST_CNN -DataPath $mnist | Start-ClNetTraining -Epochs 1 -StepsPerEpoch 4 -ReportEvery 2
        $records = @(Receive-Job $job -Wait -AutoRemoveJob)
        $epoch = $records | Where-Object Kind -eq 'Epoch'
        $epoch.TestAccuracy | Should -Not -BeNullOrEmpty
        $epoch.TestLoss | Should -BeGreaterThan 0
    }

    It 'names the file of bad data before training starts' -ForEach @(
        @{ Break = { param($f) Remove-Item (Join-Path $f 't10k-labels-idx1-ubyte') }; Id = 'DataFileNotFound'; File = 't10k-labels' }
        @{ Break = { param($f) $p = Join-Path $f 'train-images-idx3-ubyte'; $b = [IO.File]::ReadAllBytes($p); [IO.File]::WriteAllBytes($p, $b[0..999]) }; Id = 'TruncatedDataFile'; File = 'train-images-idx3-ubyte' }
        @{ Break = { param($f) $p = Join-Path $f 'train-labels-idx1-ubyte'; $b = [IO.File]::ReadAllBytes($p); $b[2] = 9; [IO.File]::WriteAllBytes($p, $b) }; Id = 'InvalidDataFile'; File = 'train-labels-idx1-ubyte' }
    ) {
        $folder = New-TestMnist (Join-Path $TestDrive "bad-$Id") -Train 20 -Test 10
        & $Break $folder
        New-ClNetModel MNIST_CNN -DataPath $folder -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err[0].Exception.Message | Should -Match $File
    }

    It 'names a missing data folder' {
        New-ClNetModel MNIST_CNN -DataPath (Join-Path $TestDrive 'no-such-folder') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DataFolderNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'says what to give when a model has no data' {
        $err = $null
        try { New-ClNetModel MNIST_CNN | Start-ClNetTraining -Wait -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'NoTrainingData,*'
    }
}

Describe 'CIFAR_WRN from PowerShell' {
    It 'has clnet''s parameter count at width 1 and depth 1' {
        $m = New-ClNetModel CIFAR_WRN -Option @{ Width = 1; Depth = 1 }
        $m.ParameterCount | Should -Be 78330
        $m.TrainableParameterCount | Should -Be 77850
        $m.Tensors.Name | Should -Contain 'group2_block0_bn1_gamma'
        ($m.Tensors | Where-Object Name -eq 'bn_moving_mean').Role | Should -Be 'Parameter'
    }
}

Describe 'Invoke-ClNetInference' {
    BeforeAll {
        $script:pictures = Join-Path $TestDrive 'pictures'
        New-Item -ItemType Directory $pictures | Out-Null
        foreach ($class in 0..9) {
            $picture = New-TestPicture $class
            if ($class % 2) { [ClNet.Engine.ImageFile]::WriteBmp((Join-Path $pictures "class$class.bmp"), $picture) }
            else { [ClNet.Engine.ImageFile]::WritePng((Join-Path $pictures "class$class.png"), $picture) }
        }
    }

    It 'classifies BMP and PNG pictures piped from Get-ChildItem' {
        $results = @(Get-ChildItem $pictures | Invoke-ClNetInference -Model $lenet)
        $results.Count | Should -Be 10
        $results[0] | Should -BeOfType ([ClNet.Engine.Prediction])
        foreach ($r in $results) {
            $expected = [int]([IO.Path]::GetFileNameWithoutExtension($r.Path) -replace 'class', '')
            $r.Class | Should -Be $expected -Because $r.Path
            $r.Probabilities.Count | Should -Be 10
            ($r.Probabilities | Measure-Object -Sum).Sum | Should -BeGreaterThan 0.999
            $r.Probability | Should -Be ($r.Probabilities | Measure-Object -Maximum).Maximum
        }
    }

    It 'reports a bad file and goes on with the others' {
        $wrongSize = Join-Path $TestDrive 'wide.png'
        [ClNet.Engine.ImageFile]::WritePng($wrongSize, (New-TestPicture 3 -Side 32))
        $text = Join-Path $TestDrive 'note.bmp'
        Set-Content $text 'not a picture'
        $paths = (Join-Path $pictures 'class1.bmp'), $wrongSize, $text, (Join-Path $TestDrive 'missing.png'), (Join-Path $pictures 'class2.png')
        $results = @(Invoke-ClNetInference -Model $lenet -Path $paths -ErrorVariable err -ErrorAction SilentlyContinue)
        $results.Class | Should -Be 1, 2
        $err.Count | Should -Be 3
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ImageSizeMismatch,*'
        $err[0].Exception.Message | Should -Match 'wide.png'
        $err[1].FullyQualifiedErrorId | Should -BeLike 'InvalidImage,*'
        $err[2].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        $err[2].TargetObject | Should -Match 'missing.png'
    }

    It 'gives the same predictions in a fresh PowerShell after Save-ClNetModel' {
        $file = Join-Path $TestDrive 'lenet.clnetparams'
        $lenet | Save-ClNetModel $file
        $here = @(Get-ChildItem $pictures | Invoke-ClNetInference -Model $lenet)
        $script = "Import-Module '$((Resolve-Path $manifest).Path)'; `$m = Import-ClNetModel '$file'; Get-ChildItem '$pictures' | Invoke-ClNetInference -Model `$m | ForEach-Object { '{0}|{1}|{2:R}' -f `$_.Path, `$_.Class, `$_.Probability }"
        $there = @(pwsh -NoProfile -NonInteractive -Command $script)
        $LASTEXITCODE | Should -Be 0
        $there | Should -Be ($here | ForEach-Object { '{0}|{1}|{2:R}' -f $_.Path, $_.Class, $_.Probability })
    }

    It 'refuses a model that does not classify pictures' {
        { Invoke-ClNetInference -Model (New-ClNetModel MLP) -Path (Join-Path $pictures 'class1.bmp') -ErrorAction Stop } | Should -Throw -ErrorId 'ModelTakesNoImages*'
    }
}
