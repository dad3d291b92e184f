#!/usr/bin/env pwsh
# build.ps1 Bench: training throughput of each model on one device, as the median of timed windows
# after a warm-up. A benchmark, not a test: nothing here passes or fails on a time.
# MNIST_CNN trains on Fashion-MNIST where Debian's package is installed, CIFAR_WRN (width 1, depth 1)
# on random CIFAR-10-format data: throughput does not depend on the pixels.
param(
    [string] $Model,
    [int] $Device = 0,
    [int] $Seconds = 10
)
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $root 'ClNet.psd1')
$scratch = Join-Path ([IO.Path]::GetTempPath()) "clnet-bench-$PID"

function Get-BenchData([string] $Name) {
    switch ($Name) {
        'MNIST_CNN' {
            $fashion = '/usr/share/datasets/fashion-mnist'
            if (Test-Path $fashion) { return $fashion }
            $folder = New-Item -ItemType Directory -Force (Join-Path $scratch 'mnist')
            $random = [Random]::new(1)
            foreach ($set in @(@{ Prefix = 'train'; Count = 10000 }, @{ Prefix = 't10k'; Count = 1000 })) {
                $images = [byte[]]::new($set.Count * 784); $random.NextBytes($images)
                $labels = [byte[]]::new($set.Count); for ($i = 0; $i -lt $set.Count; $i++) { $labels[$i] = $random.Next(10) }
                [ClNet.Engine.MnistIdx]::Write((Join-Path $folder "$($set.Prefix)-images-idx3-ubyte"), $images, [int[]]($set.Count, 28, 28))
                [ClNet.Engine.MnistIdx]::Write((Join-Path $folder "$($set.Prefix)-labels-idx1-ubyte"), $labels, [int[]]($set.Count))
            }
            return $folder.FullName
        }
        'CIFAR_WRN' {
            $folder = New-Item -ItemType Directory -Force (Join-Path $scratch 'cifar')
            $random = [Random]::new(2)
            foreach ($file in @(@{ Name = 'data_batch_1.bin'; Count = 10000 }, @{ Name = 'test_batch.bin'; Count = 1000 })) {
                $records = [byte[]]::new($file.Count * 3073); $random.NextBytes($records)
                for ($i = 0; $i -lt $file.Count; $i++) { $records[$i * 3073] = $random.Next(10) }
                [IO.File]::WriteAllBytes((Join-Path $folder $file.Name), $records)
            }
            return $folder.FullName
        }
        default { return $null }
    }
}

$deviceInfo = Get-ClNetDevice -Index $Device
$names = if ($Model) { @($Model) } else { [ClNet.Engine.ModelCatalog]::Names }
try {
    $rows = foreach ($name in $names) {
        $data = Get-BenchData $name
        $m = if ($data) { New-ClNetModel $name -DataPath $data } else { New-ClNetModel $name }
        $m | Start-ClNetTraining -Device $Device -Epochs 1 -StepsPerEpoch 5 -Wait | Out-Null   # builds kernels, warms caches
        $job = $m | Start-ClNetTraining -Device $Device -Epochs 1000000 -ReportEvery ([math]::Max(5, [int](20000 / $m.Defaults.BatchSize / 10)))
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while ($clock.Elapsed.TotalSeconds -lt $Seconds -and $job.State -eq 'Running') { Start-Sleep -Milliseconds 200 }
        Stop-Job $job
        $windows = @($job.Output | Where-Object { $_.Kind -eq 'Step' -and $_.Iteration -gt 1 } | ForEach-Object SamplesPerSecond | Sort-Object)
        Remove-Job $job
        if ($windows.Count -eq 0) { throw "No timed window finished for $name within $Seconds s." }
        $median = $windows[[int][math]::Floor($windows.Count / 2)]
        $batch = $m.Defaults.BatchSize
        [pscustomobject]@{
            Model            = $name
            Device           = "[$Device] $($deviceInfo.Name)"
            BatchSize        = $batch
            SamplesPerSecond = [math]::Round($median)
            MsPerStep        = [math]::Round(1000 * $batch / $median, 2)
            Windows          = $windows.Count
        }
    }
}
finally {
    Remove-Item -Recurse -Force $scratch -ErrorAction SilentlyContinue
}
Write-Host "device: [$Device] $($deviceInfo.Name) ($($deviceInfo.Platform), $($deviceInfo.Type))"
$rows | Format-Table Model, BatchSize, @{ n = 'Samples/s'; e = { '{0:N0}' -f $_.SamplesPerSecond }; a = 'right' }, MsPerStep, Windows -AutoSize | Out-String -Width 120 | Out-Host
$csv = Join-Path $root 'TestResults/bench.csv'
New-Item -ItemType Directory -Force (Split-Path $csv) | Out-Null
$rows | Export-Csv -Path $csv -NoTypeInformation
Write-Host "bench: $csv"
