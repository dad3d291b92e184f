@{
    Synopsis    = 'Pauses a training before its next node (clnets p).'
    Description = @'
Suspend-ClNetTraining pauses a running training before the next node it reaches and returns that node (an ExecutionPoint) once it is there. The job's state becomes Suspended. Suspend-Job does not apply: PowerShell offers it only to Job2 jobs, and ClNet's training jobs are plain jobs so that every other job cmdlet works with them.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
    }
    Examples    = @(
        @{ Code = 'Suspend-ClNetTraining'; Remarks = 'Pauses the latest training and shows where.' }
        @{ Code = '$job | Suspend-ClNetTraining; Get-ClNetTensor l0_weight -Slice 0,0:4'; Remarks = 'Pauses, then reads a few weights.' }
    )
    Links       = @('Resume-ClNetTraining', 'Step-ClNetTraining', 'Set-ClNetBreakpoint')
}
