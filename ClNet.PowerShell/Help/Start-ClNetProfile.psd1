@{
    Synopsis    = 'Starts profiling a training (clnets pf).'
    Description = @'
Start-ClNetProfile makes a running training record an OpenCL event for every kernel from its next step on; Get-ClNetProfile sums their device times per node. The timestamps come from the profiling-enabled queue, so nothing is serialised to measure. Start-ClNetTraining -Profile profiles from the first step.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
    }
    Examples    = @(
        @{ Code = 'Start-ClNetProfile; Start-Sleep 10; Get-ClNetProfile'; Remarks = 'Profiles ten seconds of the latest training.' }
        @{ Code = '$job | Start-ClNetProfile'; Remarks = 'Profiles the training in $job.' }
    )
    Links       = @('Stop-ClNetProfile', 'Get-ClNetProfile')
}
