#!/usr/bin/env pwsh
<#
.SYNOPSIS
ClNet's build driver: Build, Test, Demo or Bench.

.DESCRIPTION
Run it through the PowerShell that the repository pins as a local .NET tool:
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
Build   compiles the engine and the module (into ./bin, next to ClNet.psd1) and writes the help.
Test    builds, then runs the engine tests (xunit) and the cmdlet tests (Pester 6.2.0 from NuGet), and
        ends with the line 'tests: N passed, N failed, N skipped'; the exit code is 1 on any failure.
Demo    builds and trains LeNet-5 (MNIST_CNN) for one epoch on Fashion-MNIST with a progress bar, then
        prints the test accuracy; -DataPath takes any MNIST-format folder instead.
Bench   builds and measures training throughput (samples/s) of each model on a device.
Where no OpenCL runtime (or, for the demo, no Fashion-MNIST) is found it installs the Debian package
with apt-get when it can, and otherwise stops and says what to install.
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Bench')]
    [string] $Task = 'Test',
    [ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release',
    # Demo: an MNIST-format folder instead of Debian's Fashion-MNIST
    [string] $DataPath,
    # Bench: some models instead of all (names or one comma-separated string), the device index, and the seconds to measure each model
    [string[]] $Model,
    [int] $Device = 0,
    [int] $Seconds = 10
)
$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $true
if ($env:CI -or [Console]::IsOutputRedirected) { $PSStyle.OutputRendering = 'PlainText' }
$root = $PSScriptRoot
Set-Location $root
$PesterVersion = '6.2.0'
$clock = [Diagnostics.Stopwatch]::StartNew()

function Step([string] $Name, [scriptblock] $Body) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    Write-Host "==> $Name"
    & $Body
    Write-Host ("<== {0} ({1:N1} s)" -f $Name, $sw.Elapsed.TotalSeconds)
}

# apt-get install, as root or through password-less sudo; $null when neither is possible here.
function Install-DebianPackage([string[]] $Packages) {
    $apt = Get-Command apt-get -ErrorAction SilentlyContinue
    $isRoot = $IsLinux -and (& id -u) -eq '0'
    $canSudo = $IsLinux -and -not $isRoot -and (Get-Command sudo -ErrorAction SilentlyContinue) -and $(& sudo -n true 2>$null; $LASTEXITCODE -eq 0)
    if (-not $apt -or -not ($isRoot -or $canSudo)) { return $false }
    function Apt { if ($isRoot) { & apt-get @args } else { & sudo -n apt-get @args } }
    Step "apt-get install $($Packages -join ' ')" {
        $env:DEBIAN_FRONTEND = 'noninteractive'
        Apt update -qq
        Apt install -y -qq --no-install-recommends @Packages
    }
    return $true
}

# An OpenCL loader and at least one installable client driver (ICD), or what it takes to get them.
function Initialize-OpenCl {
    if (-not $IsLinux) { return }
    $ldconfig = Get-Command ldconfig, /sbin/ldconfig, /usr/sbin/ldconfig -ErrorAction SilentlyContinue | Select-Object -First 1
    $loader = if ($ldconfig) { (& $ldconfig -p) -match 'libOpenCL\.so\.1' } else { Test-Path '/usr/lib/*/libOpenCL.so.1' }
    $icdFolder = if ($env:OCL_ICD_VENDORS) { $env:OCL_ICD_VENDORS } else { '/etc/OpenCL/vendors' }
    $icds = Get-ChildItem -Path $icdFolder -Filter *.icd -ErrorAction SilentlyContinue
    if ($loader -and $icds) { return }
    $packages = 'ocl-icd-libopencl1', 'pocl-opencl-icd'
    if (-not (Install-DebianPackage $packages)) {
        throw "No OpenCL runtime was found (libOpenCL.so.1 and an ICD in $icdFolder). Install one, for example on Debian or Ubuntu: 'sudo apt-get install $($packages -join ' ')' for the PoCL CPU device, or your GPU vendor's OpenCL driver."
    }
}

# Open MPI for the distributed-training test; without it that test is skipped and says why.
function Initialize-Mpi {
    if (-not $IsLinux -or (Get-Command mpirun -ErrorAction SilentlyContinue)) { return }
    if (-not (Install-DebianPackage 'openmpi-bin', 'libopenmpi-dev')) {
        Write-Host 'Open MPI is not installed and cannot be installed here: the MPI test will be skipped (apt-get install openmpi-bin libopenmpi-dev).'
    }
}

# The demo's data: -DataPath, or Debian's Fashion-MNIST (installed when it is missing and apt-get can).
function Initialize-DemoData {
    if ($DataPath) { return $DataPath }
    $fashion = '/usr/share/datasets/fashion-mnist'
    if (-not (Test-Path (Join-Path $fashion 'train-images-idx3-ubyte.gz')) -and -not (Install-DebianPackage 'dataset-fashion-mnist')) {
        throw "Fashion-MNIST was not found in $fashion. Install it ('sudo apt-get install dataset-fashion-mnist') or give any MNIST-format folder: ./build.ps1 Demo -DataPath <folder>."
    }
    return $fashion
}

function Invoke-Build {
    Step "dotnet build ($Configuration)" { dotnet build ClNet.slnx -c $Configuration --nologo -v minimal }
    # help is generated from the built cmdlets, in a fresh pwsh (a loaded binary module cannot be reloaded)
    Step 'help' { pwsh -NoProfile -NonInteractive -File ./build/New-ClNetHelp.ps1 }
}

function Initialize-Pester {
    $modules = Join-Path $root '.modules'
    $pesterDir = Join-Path $modules "Pester/$PesterVersion"
    if (-not (Test-Path (Join-Path $pesterDir 'Pester.psd1'))) {
        Step "Pester $PesterVersion from NuGet" {
            dotnet restore build/pester/PesterDownload.csproj --verbosity quiet
            $packageRoot = (dotnet msbuild build/pester/PesterDownload.csproj -getProperty:NuGetPackageRoot).Trim()
            $source = Join-Path $packageRoot "pester/$PesterVersion/tools"
            if (-not (Test-Path $source)) { throw "Pester $PesterVersion was not found at $source." }
            # exactly one Pester on the module path: two versions make PowerShell load the wrong Pester.dll
            Remove-Item -Recurse -Force (Join-Path $modules 'Pester') -ErrorAction SilentlyContinue
            New-Item -ItemType Directory -Force $pesterDir | Out-Null
            Copy-Item -Recurse -Force (Join-Path $source '*') $pesterDir
        }
    }
    $env:PSModulePath = $modules + [IO.Path]::PathSeparator + $env:PSModulePath
}

function Invoke-Tests {
    $counts = @{ passed = 0; failed = 0; skipped = 0 }
    Step 'engine tests (xunit)' {
        $trxDir = Join-Path $root 'TestResults/xunit'
        Remove-Item -Recurse -Force $trxDir -ErrorAction SilentlyContinue
        $PSNativeCommandUseErrorActionPreference = $false   # a failing test must not keep Pester from running
        dotnet test tests/ClNet.Engine.Tests -c $Configuration --no-build --nologo --logger trx --results-directory $trxDir
        $exit = $LASTEXITCODE
        $trx = @(Get-ChildItem $trxDir -Filter *.trx -ErrorAction SilentlyContinue)
        foreach ($file in $trx) {
            $c = ([xml](Get-Content -Raw $file)).TestRun.ResultSummary.Counters
            $counts.passed += [int]$c.passed
            $counts.failed += [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
            $counts.skipped += [int]$c.total - [int]$c.executed
        }
        if ($exit -ne 0 -and $counts.failed -eq 0) { $counts.failed++ }   # the run failed without a count
    }
    Step 'cmdlet tests (Pester)' {
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module Pester -RequiredVersion $PesterVersion
`$c = New-PesterConfiguration
`$c.Run.Path = './tests'
`$c.Run.PassThru = `$true
`$c.Output.RenderMode = 'Plaintext'
`$c.Output.Verbosity = 'Normal'
`$c.TestResult.Enabled = `$true
`$c.TestResult.OutputPath = './TestResults/pester.xml'
`$r = Invoke-Pester -Configuration `$c
'PESTER-COUNTS {0} {1} {2}' -f `$r.PassedCount, (`$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount), (`$r.SkippedCount + `$r.NotRunCount)
"@
        $PSNativeCommandUseErrorActionPreference = $false
        $output = pwsh -NoProfile -NonInteractive -Command $script
        $output | Where-Object { $_ -notmatch '^PESTER-COUNTS' } | Write-Host
        $line = $output | Where-Object { $_ -match '^PESTER-COUNTS' } | Select-Object -Last 1
        if (-not $line) { Write-Host 'Pester did not report its counts.'; $counts.failed++; return }
        $p = $line.Split(' ')
        $counts.passed += [int]$p[1]; $counts.failed += [int]$p[2]; $counts.skipped += [int]$p[3]
    }
    return $counts
}

$counts = $null
try {
    if ($Task -ne 'Build') { Initialize-OpenCl }
    Invoke-Build
    switch ($Task) {
        'Test' { Initialize-Mpi; Initialize-Pester; $counts = Invoke-Tests }
        'Demo' { pwsh -NoProfile -File ./build/demo.ps1 -DataPath (Initialize-DemoData) }
        'Bench' { pwsh -NoProfile -File ./build/bench.ps1 -Model ($Model -join ',') -Device $Device -Seconds $Seconds }
    }
}
catch {
    Write-Host "build.ps1 $Task failed: $_"
    if ($Task -eq 'Test') { Write-Host 'tests: 0 passed, 1 failed, 0 skipped' }
    exit 1
}
Write-Host ("build.ps1 {0} finished in {1:N1} s" -f $Task, $clock.Elapsed.TotalSeconds)
if ($counts) {
    # the closing line that CI reads
    Write-Host "tests: $($counts.passed) passed, $($counts.failed) failed, $($counts.skipped) skipped"
    exit ([int]($counts.failed -gt 0))
}
