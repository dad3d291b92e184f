#!/usr/bin/env pwsh
# build.ps1 Demo: trains clnet's LeNet-5 (MNIST_CNN) for one epoch from PowerShell, with a progress
# bar, and prints the accuracy on the test set.
param([Parameter(Mandatory)] [string] $DataPath)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../ClNet.psd1')

$device = Get-ClNetDevice | Select-Object -First 1
$model = New-ClNetModel MNIST_CNN -DataPath $DataPath
Write-Host "ClNet demo: clnet's LeNet-5 (conv 5x5x20 tanh, max pool, conv 5x5x50 tanh, max pool, FC 480 tanh, FC 10), $('{0:N0}' -f $model.ParameterCount) parameters"
Write-Host "data: $($model.Data.Description)"
Write-Host "device [$($device.Index)] $($device.Name) ($($device.Platform)); one epoch, batch 32, SGD with momentum 0.9, learning rate 0.01"

$log = $model | Start-ClNetTraining -Epochs 1 -ReportEvery 200 -Wait
$log | Format-Table | Out-Host

$epoch = $log | Where-Object Kind -eq 'Epoch' | Select-Object -Last 1
Write-Host ("Result: test accuracy {0:P2} after one epoch (training accuracy {1:P2}, loss {2:G4} -> {3:G4}); {4:N0} samples/s on {5}." -f `
    $epoch.TestAccuracy, $epoch.Accuracy, $log[0].Loss, ($log | Where-Object Kind -eq 'Step' | Select-Object -Last 1).Loss, $epoch.SamplesPerSecond, $device.Name)
