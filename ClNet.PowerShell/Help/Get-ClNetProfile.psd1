@{
    Synopsis    = 'Returns the profile of a training: device time per node (clnets pf list).'
    Description = @'
Get-ClNetProfile returns one flat object per node: its name, type, calls, total milliseconds, mean microseconds per call and percent of the profiled device time, largest first. The objects go through Export-Csv and Import-Csv unchanged. With -ByKernel each node is split into the OpenCL kernels it launched (the Kernel property), which shows where a node's time goes (a convolution's weight packing, product and gradient sums, for example).
'@
    Parameters  = @{
        ByKernel = 'Returns one object per kernel of each node: the kernel''s device time, with the node''s name, type and calls.'
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
    }
    Examples    = @(
        @{ Code = 'Get-ClNetProfile | Format-Table'; Remarks = 'Shows the profile.' }
        @{ Code = 'Get-ClNetProfile | Export-Csv ./profile.csv'; Remarks = 'Saves it for a spreadsheet.' }
        @{ Code = 'Get-ClNetProfile -ByKernel | Group-Object Kernel | Sort-Object { ($_.Group | Measure-Object TotalMilliseconds -Sum).Sum } -Descending'; Remarks = 'Which kernels take the device time, over all nodes.' }
    )
    Links       = @('Start-ClNetProfile', 'Stop-ClNetProfile')
}
