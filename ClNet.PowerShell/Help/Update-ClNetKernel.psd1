@{
    Synopsis    = 'Rebuilds the kernels of a running training from edited .cl files (clnets rk).'
    Description = @'
Update-ClNetKernel compiles the .cl files of a folder for the training's device and swaps them in at the next step boundary, then reports the device, the number of kernels and the build time. A file that does not compile is an error (KernelBuildFailed) that carries the compiler's build log; the running kernels stay in place and the training goes on.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
        Path = 'The folder of .cl files; by default the kernels folder next to ClNet.psd1.'
        WhatIf = 'Shows what would be rebuilt.'
        Confirm = 'Asks before rebuilding.'
    }
    Examples    = @(
        @{ Code = 'Update-ClNetKernel'; Remarks = 'Rebuilds from the repositorys kernels folder.' }
        @{ Code = 'Update-ClNetKernel ./my-kernels'; Remarks = 'Tries edited kernels from another folder.' }
    )
    Links       = @('Get-ClNetProfile')
}
