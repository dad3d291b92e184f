#!/usr/bin/env pwsh
# build.ps1 Bench: training throughput of each model on one device, each in a process of its own
# (bench-model.ps1): samples/s (characters/s for the char-RNN) as the median of timed windows after a
# warm-up, milliseconds per step and the host's share of them, start-up time (Import-Module to the
# first finished step), kernel build times without and with ClNet's binary cache, and peak memory.
# A benchmark, not a test: nothing here passes or fails on a time. Writes TestResults/bench.csv.
# Data: Fashion-MNIST where Debian's package is installed, the King James Bible where `bible` is,
# otherwise generated files of the right formats (throughput does not depend on the values).
param(
    [string] $Model,
    [int] $Device = 0,
    [int] $Seconds = 10
)
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $root 'ClNet.psd1')
$scratch = New-Item -ItemType Directory -Force (Join-Path ([IO.Path]::GetTempPath()) "clnet-bench-$PID")

function Get-BenchData([string] $Name) {
    $random = [Random]::new(1)
    switch ($Name) {
        'MNIST_CNN' {
            $fashion = '/usr/share/datasets/fashion-mnist'
            if (Test-Path $fashion) { return $fashion }
            foreach ($set in @(@{ Prefix = 'train'; Count = 10000 }, @{ Prefix = 't10k'; Count = 1000 })) {
                $images = [byte[]]::new($set.Count * 784); $random.NextBytes($images)
                $labels = [byte[]]::new($set.Count); for ($i = 0; $i -lt $set.Count; $i++) { $labels[$i] = $random.Next(10) }
                [ClNet.Engine.MnistIdx]::Write((Join-Path $scratch "$($set.Prefix)-images-idx3-ubyte"), $images, [int[]]($set.Count, 28, 28))
                [ClNet.Engine.MnistIdx]::Write((Join-Path $scratch "$($set.Prefix)-labels-idx1-ubyte"), $labels, [int[]]($set.Count))
            }
            return $scratch.FullName
        }
        'CIFAR_WRN' {
            foreach ($file in @(@{ Name = 'data_batch_1.bin'; Count = 10000 }, @{ Name = 'test_batch.bin'; Count = 1000 })) {
                $records = [byte[]]::new($file.Count * 3073); $random.NextBytes($records)
                for ($i = 0; $i -lt $file.Count; $i++) { $records[$i * 3073] = $random.Next(10) }
                [IO.File]::WriteAllBytes((Join-Path $scratch $file.Name), $records)
            }
            return $scratch.FullName
        }
        'CharRNN' {
            $corpus = Join-Path $scratch 'corpus.txt'
            if (Get-Command bible -ErrorAction SilentlyContinue) { bible -f 'Gen1:1-Rev22:21' | Set-Content $corpus }
            else {
                $words = 'and the of to that in he shall unto for i his a lord they be is him not them it with all thou'.Split(' ')
                Set-Content $corpus (-join (1..400000 | ForEach-Object { $words[$random.Next($words.Count)] + ' ' }))
            }
            return $corpus
        }
        default { return '-' }   # the MLP generates its data
    }
}

$names = if ($Model) { @($Model -split ',' | ForEach-Object Trim) } else { [ClNet.Engine.ModelCatalog]::Names }
try {
    $rows = foreach ($name in $names) {
        Write-Host "bench: $name ..."
        $data = Get-BenchData $name
        $line = pwsh -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'bench-model.ps1') -Model $name -DataPath $data -Device $Device -Seconds $Seconds |
            Where-Object { $_ -like '{*' } | Select-Object -Last 1
        if (-not $line) { throw "The benchmark of $name reported nothing." }
        $line | ConvertFrom-Json
    }
}
finally {
    Remove-Item -Recurse -Force $scratch -ErrorAction SilentlyContinue
}
$deviceInfo = Get-ClNetDevice -Index $Device
Write-Host "device: [$Device] $($deviceInfo.Name) ($($deviceInfo.Platform), $($deviceInfo.Type))"
$rows | Format-Table Model, BatchSize,
    @{ n = 'Samples/s'; e = { '{0:N0}' -f $_.SamplesPerSecond }; a = 'right' },
    @{ n = 'Chars/s'; e = { if ($_.CharactersPerSecond) { '{0:N0}' -f $_.CharactersPerSecond } }; a = 'right' },
    @{ n = 'ms/step'; e = { $_.MsPerStep }; a = 'right' },
    @{ n = 'host'; e = { '{0:P0}' -f ($_.HostMsPerStep / $_.MsPerStep) }; a = 'right' },
    @{ n = 'start-up s'; e = { $_.StartupSeconds }; a = 'right' },
    @{ n = 'build ms (uncached/cached)'; e = { "$($_.UncachedBuildMs) / $($_.CachedBuildMs)" }; a = 'right' },
    @{ n = 'peak MB'; e = { $_.PeakMemoryMB }; a = 'right' } -AutoSize | Out-String -Width 160 | Out-Host
$csv = Join-Path $root 'TestResults/bench.csv'
New-Item -ItemType Directory -Force (Split-Path $csv) | Out-Null
$rows | Export-Csv -Path $csv -NoTypeInformation
Write-Host "bench: $csv"
