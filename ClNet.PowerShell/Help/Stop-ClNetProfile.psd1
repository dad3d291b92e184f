@{
    Synopsis    = 'Stops profiling a training; the profile stays.'
    Description = @'
Stop-ClNetProfile stops recording events. What was recorded stays available to Get-ClNetProfile, also after the training ends.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
    }
    Examples    = @(
        @{ Code = 'Stop-ClNetProfile; Get-ClNetProfile | Select-Object -First 5'; Remarks = 'Stops and shows the five most expensive nodes.' }
    )
    Links       = @('Start-ClNetProfile', 'Get-ClNetProfile')
}
