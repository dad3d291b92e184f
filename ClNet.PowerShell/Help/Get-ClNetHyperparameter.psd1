@{
    Synopsis    = 'Lists the hyper-parameters of a running training.'
    Description = @'
Get-ClNetHyperparameter lists the settings that may change while a training runs, named as clnet names them: SGD.learning_rate, SGD.momentum, SGD.weight_decay and IterativeOptimizer.max_epochs, with their current values.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
        Name = 'Only the names matching this pattern (wildcards allowed).'
    }
    Examples    = @(
        @{ Code = 'Get-ClNetHyperparameter'; Remarks = 'Lists them all.' }
        @{ Code = 'Get-ClNetHyperparameter SGD.*'; Remarks = 'Lists the optimizers settings.' }
    )
    Links       = @('Set-ClNetHyperparameter')
}
