@{
    RootModule           = 'bin/ClNet.PowerShell.dll'
    # loaded eagerly so that [ClNet.Engine.*] type names work right after Import-Module
    RequiredAssemblies   = @('bin/ClNet.Engine.dll')
    FormatsToProcess     = @('bin/ClNet.Format.ps1xml')
    ModuleVersion        = '0.1.0'
    GUID                 = '3d6c7f0e-8a51-4b2e-9c47-1f0b6a2d5e93'
    Author               = 'ClNet developers'
    Description          = 'Deep learning on any OpenCL device, from PowerShell: models, training jobs, tensors and profiles as pipeline objects.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    CmdletsToExport      = @(
        'Get-ClNetDevice'
        'Measure-ClNetDevice'
        'New-ClNetModel'
        'Start-ClNetTraining'
        'Save-ClNetModel'
        'Import-ClNetModel'
        'Invoke-ClNetInference'
        'Set-ClNetBreakpoint'
        'Get-ClNetBreakpoint'
        'Remove-ClNetBreakpoint'
        'Suspend-ClNetTraining'
        'Resume-ClNetTraining'
        'Step-ClNetTraining'
        'Get-ClNetTensor'
        'Set-ClNetTensor'
        'Export-ClNetTensor'
        'Import-ClNetTensor'
        'Get-ClNetHyperparameter'
        'Set-ClNetHyperparameter'
        'Start-ClNetProfile'
        'Stop-ClNetProfile'
        'Get-ClNetProfile'
        'Update-ClNetKernel'
        'Get-ClNetGraph'
        'Get-ClNetParameter'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('OpenCL', 'DeepLearning', 'NeuralNetwork', 'GPU')
        }
    }
}
