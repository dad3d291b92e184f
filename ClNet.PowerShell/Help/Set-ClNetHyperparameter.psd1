@{
    Synopsis    = 'Changes a hyper-parameter of a running training (clnets SGD.learning_rate *= 0.5).'
    Description = @'
Set-ClNetHyperparameter sets (-Value) or multiplies (-Multiply) a hyper-parameter; the change takes effect from the next step. It returns the old and new values. Lowering IterativeOptimizer.max_epochs ends the training after the current epoch when it is already there. Unknown names are errors that list the known ones.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
        Name = 'The hyper-parameter, for example SGD.learning_rate.'
        Value = 'The new value.'
        Multiply = 'The factor the value is multiplied by.'
        WhatIf = 'Shows the change without making it.'
        Confirm = 'Asks before the change.'
    }
    Examples    = @(
        @{ Code = 'Set-ClNetHyperparameter SGD.learning_rate -Multiply 0.5'; Remarks = 'Halves the learning rate from the next step on.' }
        @{ Code = 'Set-ClNetHyperparameter SGD.learning_rate 5e-6'; Remarks = 'Sets it.' }
        @{ Code = '$job | Set-ClNetHyperparameter IterativeOptimizer.max_epochs 10'; Remarks = 'Lets the training in $job run 10 epochs in all.' }
    )
    Links       = @('Get-ClNetHyperparameter')
}
