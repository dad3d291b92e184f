#!/usr/bin/env pwsh
# One model's benchmark, in a process of its own so that its start-up time and peak memory are its
# own: Import-Module → first finished step, then the median throughput of timed windows after a
# warm-up. Writes one JSON line. Called by bench.ps1.
param(
    [Parameter(Mandatory)] [string] $Model,
    [Parameter(Mandatory)] [string] $DataPath,
    [int] $Device = 0,
    [int] $Seconds = 10
)
$ErrorActionPreference = 'Stop'
$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module (Join-Path $PSScriptRoot '../ClNet.psd1')
$m = switch ($Model) {
    'MLP' { New-ClNetModel MLP }
    'CharRNN' { New-ClNetModel CharRNN -CorpusPath $DataPath -IndexPath "$DataPath.index.json" }
    default { New-ClNetModel $Model -DataPath $DataPath }
}
$report = [math]::Max(2, [int](2000 / $m.Defaults.BatchSize / ($(if ($Model -eq 'CharRNN') { 40 } else { 1 }))))
$job = $m | Start-ClNetTraining -Device $Device -Epochs 1000000 -ReportEvery $report
while (@($job.Output).Count -eq 0 -and $job.State -eq 'Running') { Start-Sleep -Milliseconds 10 }
$startup = $clock.Elapsed.TotalSeconds
$measured = [Diagnostics.Stopwatch]::StartNew()
while ($measured.Elapsed.TotalSeconds -lt $Seconds -and $job.State -eq 'Running') { Start-Sleep -Milliseconds 100 }
Stop-Job $job
if ($job.State -eq 'Failed') { throw ($job.Error | Select-Object -First 1) }
# the first two windows warm up (first launches of each kernel, caches)
$windows = @($job.Output | Where-Object Kind -eq 'Step' | Select-Object -Skip 2)
if ($windows.Count -eq 0) { throw "No timed window finished for $Model within $Seconds s; give more -Seconds." }
function Median($values) { $sorted = @($values | Sort-Object); $sorted[[int][math]::Floor($sorted.Count / 2)] }
$samples = Median $windows.SamplesPerSecond
$deviceInfo = Get-ClNetDevice -Index $Device
$uncached = [ClNet.Engine.DeviceContext]::new($deviceInfo, [ClNet.Engine.KernelCache]::Disabled, $null)
$cached = [ClNet.Engine.DeviceContext]::new($deviceInfo, $null, $null)
[ordered]@{
    Model                = $Model
    Device               = "[$Device] $($deviceInfo.Name)"
    BatchSize            = $m.Defaults.BatchSize
    SamplesPerSecond     = [math]::Round($samples)
    CharactersPerSecond  = if ($Model -eq 'CharRNN') { [math]::Round((Median $windows.CharactersPerSecond)) } else { $null }
    MsPerStep            = [math]::Round(1000 * $m.Defaults.BatchSize / $samples, 2)
    HostMsPerStep        = [math]::Round((Median $windows.HostMillisecondsPerStep), 2)
    Windows              = $windows.Count
    StartupSeconds       = [math]::Round($startup, 2)
    UncachedBuildMs      = [math]::Round($uncached.Kernels.BuildMilliseconds)
    CachedBuildMs        = [math]::Round($cached.Kernels.BuildMilliseconds)
    PeakMemoryMB         = [math]::Round([Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB)
} | ConvertTo-Json -Compress
$uncached.Dispose(); $cached.Dispose()
