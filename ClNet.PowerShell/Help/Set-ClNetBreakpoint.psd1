@{
    Synopsis    = 'Stops a training before a node (clnets g).'
    Description = @'
Set-ClNetBreakpoint makes a running training stop before a node: a forward node (FCLayer_0, conv1, or its alias), a backward node (back:..., or the gradient it writes, such as gradient(l0_weight)), the data loading (the input's name: X, data) or the update (SGD). When the training gets there, it drains the device queue and waits; the job's state becomes AtBreakpoint and its StatusMessage names the node. Look at tensors with Get-ClNetTensor, change them with Set-ClNetTensor, then Step-ClNetTraining or Resume-ClNetTraining.

A name that does not exist is an error (UnknownBreakpointTarget) that lists the nearest names.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
        Tensor = 'The node to stop before: its name, alias or gradient, or SGD.'
        HitCount = 'Stop on every HitCount-th visit only (1, the default, stops every time).'
    }
    Examples    = @(
        @{ Code = 'Set-ClNetBreakpoint SGD'; Remarks = 'Stops before the next SGD update of the latest training.' }
        @{ Code = '$job | Set-ClNetBreakpoint FCLayer_0 -HitCount 100'; Remarks = 'Stops before FCLayer_0 on every 100th step of the training in $job.' }
        @{ Code = 'Set-ClNetBreakpoint gradient(l0_weight)'; Remarks = 'Stops before the backward node that writes the gradient of l0_weight.' }
    )
    Links       = @('Get-ClNetBreakpoint', 'Remove-ClNetBreakpoint', 'Step-ClNetTraining', 'Resume-ClNetTraining')
}
