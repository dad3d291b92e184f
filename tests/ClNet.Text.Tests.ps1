BeforeAll {
    $script:manifest = Join-Path $PSScriptRoot '../ClNet.psd1'
    Import-Module $manifest -Force
    $script:corpus = Join-Path $TestDrive 'cat.txt'
    Set-Content -Path $corpus -Value ('the cat sat on the mat. ' * 40) -NoNewline -Encoding utf8NoBOM
    $script:index = Join-Path $TestDrive 'cat.index.json'
    $script:settings = @{ Layers = 2; Hidden = 32; Embedding = 16; SequenceLength = 24 }
    $script:model = New-ClNetModel CharRNN -CorpusPath $corpus -IndexPath $index @settings
    $script:log = @($model | Start-ClNetTraining -Epochs 40 -BatchSize 8 -LearningRate 0.01 -ReportEvery 100 -Wait)
}
AfterAll { Get-Job | Where-Object PSJobTypeName -eq 'ClNetTraining' | Remove-Job -Force }

Describe 'CharRNN from PowerShell' {
    It 'has clnet''s parameter names and writes its index file' {
        Test-Path $index | Should -BeTrue
        ($model.Tensors | Where-Object IsSaved).Name | Should -Be 'embedding_matrix', 'lstm_weight_x0', 'lstm_weight_h0', 'lstm_bias0', 'lstm_weight_x1', 'lstm_weight_h1', 'lstm_bias1', 'class_weight', 'class_bias'
        (ConvertFrom-Json (Get-Content -Raw $index)).Count | Should -Be 11   # t h e c a s o n m . and the space
    }

    It 'reports the loss in nats and bits per character, and characters per second' {
        $last = $log[-1]
        $last.Kind | Should -Be 'Epoch'
        $last.BitsPerCharacter | Should -BeLessThan 0.5
        $last.BitsPerCharacter | Should -Be ($last.Loss / [math]::Log(2))
        $last.CharactersPerSecond | Should -BeGreaterThan 0
        ($log | Format-Table | Out-String) | Should -Match 'chars/s'
    }

    It 'generates text: greedy at temperature 0, repeatable for a seed' {
        Invoke-ClNetInference -Model $model -Prefix 'the cat ' -Length 15 -Temperature 0 | Should -Be 'the cat sat on the mat.'
        $a = Invoke-ClNetInference -Model $model -Prefix 'the' -Length 40 -Temperature 0.8 -Seed 3
        $b = Invoke-ClNetInference -Model $model -Prefix 'the' -Length 40 -Temperature 0.8 -Seed 3
        $a | Should -Be $b
        $a.Length | Should -Be 43
    }

    It 'generates the same text in a fresh PowerShell from the saved model and its index' {
        $file = Join-Path $TestDrive 'cat.clnetparams'
        $model | Save-ClNetModel $file
        $here = Invoke-ClNetInference -Model $model -Prefix 'the m' -Length 12 -Temperature 0.5 -Seed 9
        $there = pwsh -NoProfile -NonInteractive -Command "Import-Module '$((Resolve-Path $manifest).Path)'; Invoke-ClNetInference -Model (Import-ClNetModel '$file') -IndexPath '$index' -Prefix 'the m' -Length 12 -Temperature 0.5 -Seed 9"
        $LASTEXITCODE | Should -Be 0
        $there | Should -Be $here
    }

    It 'trains with Adam and clipping, both visible as hyper-parameters' {
        $job = $model | Start-ClNetTraining -Epochs 1000 -Optimizer Adam -ClipNorm 5
        $names = (Get-ClNetHyperparameter -Job $job).Name
        $names | Should -Contain 'Adam.learning_rate'
        $names | Should -Contain 'Adam.beta1'
        (Get-ClNetHyperparameter GradientClipping.max_norm -Job $job).Value | Should -Be 5
        (Set-ClNetHyperparameter GradientClipping.max_norm 1 -Job $job -Confirm:$false).NewValue | Should -Be 1
        $job | Remove-Job -Force
        $sgd = $model | Start-ClNetTraining -Epochs 1000 -Optimizer SGD
        (Get-ClNetHyperparameter -Job $sgd).Name | Should -Contain 'SGD.momentum'
        (Get-ClNetGraph -OperatorsOnly -Job $sgd)[-1].Name | Should -Be 'SGD'
        $sgd | Remove-Job -Force
    }

    It 'names the problem with a corpus or an index' -ForEach @(
        @{ Case = 'empty'; Id = 'EmptyCorpus' }
        @{ Case = 'missing'; Id = 'CorpusNotFound' }
        @{ Case = 'foreign'; Id = 'CharacterNotInIndex' }
    ) {
        $path = Join-Path $TestDrive "$Case.txt"
        switch ($Case) {
            'empty' { Set-Content $path '' -NoNewline }
            'foreign' { Set-Content $path 'the dog sat' -NoNewline }
        }
        $arguments = @{ CorpusPath = $path }
        if ($Case -eq 'foreign') { $arguments.IndexPath = $index }
        New-ClNetModel CharRNN @arguments -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        if ($Case -eq 'foreign') { $err[0].Exception.Message | Should -Match "'d'" }
    }

    It 'rejects settings a model does not have, naming the ones it has' {
        New-ClNetModel MNIST_CNN -Layers 2 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnknownModelOption,*'
        (New-ClNetModel CIFAR_WRN -Width 2 -Depth 2).Tensors.Name | Should -Contain 'group2_block1_conv1_weight'
    }
}
