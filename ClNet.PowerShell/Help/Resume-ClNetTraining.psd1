@{
    Synopsis    = 'Continues a paused training (clnets c).'
    Description = @'
Resume-ClNetTraining lets a training that stopped at a breakpoint, after Suspend-ClNetTraining or after Step-ClNetTraining run on. It stops again at the next breakpoint it reaches.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
    }
    Examples    = @(
        @{ Code = 'Resume-ClNetTraining'; Remarks = 'Continues the latest training.' }
        @{ Code = 'Remove-ClNetBreakpoint SGD; Resume-ClNetTraining'; Remarks = 'Removes the breakpoint and runs on.' }
    )
    Links       = @('Suspend-ClNetTraining', 'Step-ClNetTraining')
}
