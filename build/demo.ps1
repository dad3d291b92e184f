#!/usr/bin/env pwsh
# build.ps1 Demo: trains clnet's MLP from PowerShell with a progress bar and prints the result.
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../ClNet.psd1')

$device = Get-ClNetDevice | Select-Object -First 1
$model = New-ClNetModel MLP
Write-Host "ClNet demo: clnet's MLP, X[128,2] -> FC 4096 sigmoid -> FC 1 softrelu, learning y = x0/x1"
Write-Host "device [$($device.Index)] $($device.Name) ($($device.Platform)); $('{0:N0}' -f $model.ParameterCount) parameters"

$log = $model | Start-ClNetTraining -Epochs 2 -ReportEvery 250 -Wait
$log | Format-Table | Out-Host

$first = $log[0]
$last = $log | Where-Object Kind -eq 'Step' | Select-Object -Last 1
$epochs = $log | Where-Object Kind -eq 'Epoch'
Write-Host ("Result: loss {0:G4} at the first step, {1:G4} at the end ({2:N0} times lower); {3:N0} samples/s on {4}." -f `
    $first.Loss, $last.Loss, ($first.Loss / $last.Loss), ($epochs.SamplesPerSecond | Measure-Object -Average).Average, $device.Name)
