@{
    Synopsis    = 'Removes breakpoints from a training.'
    Description = @'
Remove-ClNetBreakpoint removes the breakpoints on the named nodes; Breakpoint objects from Get-ClNetBreakpoint bind by their Name. A name without a breakpoint is an error (BreakpointNotFound). A paused training stays paused: resume it with Resume-ClNetTraining.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
        Tensor = 'The nodes whose breakpoints go.'
        WhatIf = 'Shows which breakpoints would be removed.'
        Confirm = 'Asks before removing each breakpoint.'
    }
    Examples    = @(
        @{ Code = 'Remove-ClNetBreakpoint SGD'; Remarks = 'Removes the breakpoint on SGD.' }
        @{ Code = 'Get-ClNetBreakpoint | Remove-ClNetBreakpoint'; Remarks = 'Removes every breakpoint.' }
    )
    Links       = @('Set-ClNetBreakpoint', 'Get-ClNetBreakpoint')
}
