@{
    Synopsis    = 'Lists the breakpoints of a training.'
    Description = @'
Get-ClNetBreakpoint writes the breakpoints of a training: the node, its phase (Data, Forward, Backward, Update), the hit count and how often it was reached.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
    }
    Examples    = @(
        @{ Code = 'Get-ClNetBreakpoint'; Remarks = 'Lists the breakpoints of the latest training.' }
        @{ Code = 'Get-ClNetBreakpoint | Remove-ClNetBreakpoint'; Remarks = 'Removes them all.' }
    )
    Links       = @('Set-ClNetBreakpoint', 'Remove-ClNetBreakpoint')
}
