#!/usr/bin/env pwsh
# build.ps1 Bench: training throughput of each model on one device, as the median of timed windows
# after a warm-up. A benchmark, not a test: nothing here passes or fails on a time.
param(
    [string] $Model,
    [int] $Device = 0,
    [int] $Seconds = 10
)
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $root 'ClNet.psd1')

$deviceInfo = Get-ClNetDevice -Index $Device
$names = if ($Model) { @($Model) } else { [ClNet.Engine.ModelCatalog]::Names }
$rows = foreach ($name in $names) {
    $m = New-ClNetModel $name
    $m | Start-ClNetTraining -Device $Device -Epochs 1 -StepsPerEpoch 20 -Wait | Out-Null   # builds kernels, warms caches
    $job = $m | Start-ClNetTraining -Device $Device -Epochs 1000000 -ReportEvery 100
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
        MsPerStep        = [math]::Round(1000 * $batch / $median, 3)
        Windows          = $windows.Count
    }
}
$rows | Format-Table -AutoSize | Out-Host
$csv = Join-Path $root 'TestResults/bench.csv'
New-Item -ItemType Directory -Force (Split-Path $csv) | Out-Null
$rows | Export-Csv -Path $csv -NoTypeInformation
Write-Host "bench: $csv"
