@{
    Synopsis    = 'Runs a paused training to its next node and pauses it there (clnets s).'
    Description = @'
Step-ClNetTraining lets a paused training execute the node it stopped at and stop again before the next one, and returns that next node. On a running training it pauses it at its next node.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
    }
    Examples    = @(
        @{ Code = 'Step-ClNetTraining'; Remarks = 'Executes one node.' }
        @{ Code = 'Set-ClNetBreakpoint SGD; Step-ClNetTraining; Get-ClNetTensor l0_weight -Slice :,0:8'; Remarks = 'Looks at the weights right after an update.' }
    )
    Links       = @('Suspend-ClNetTraining', 'Resume-ClNetTraining', 'Set-ClNetBreakpoint')
}
