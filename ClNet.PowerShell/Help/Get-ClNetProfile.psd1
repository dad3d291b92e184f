@{
    Synopsis    = 'Returns the profile of a training: device time per node (clnets pf list).'
    Description = @'
Get-ClNetProfile returns one flat object per node: its name, type, calls, total milliseconds, mean microseconds per call and percent of the profiled device time, largest first. The objects go through Export-Csv and Import-Csv unchanged.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
    }
    Examples    = @(
        @{ Code = 'Get-ClNetProfile | Format-Table'; Remarks = 'Shows the profile.' }
        @{ Code = 'Get-ClNetProfile | Export-Csv ./profile.csv'; Remarks = 'Saves it for a spreadsheet.' }
    )
    Links       = @('Start-ClNetProfile', 'Stop-ClNetProfile')
}
