@{
    Synopsis    = 'Lists a models parameters, largest first (clnets /pp).'
    Description = @'
Get-ClNetParameter writes every saved tensor of a model (weights, biases and untrained parameters such as batch norm's moving statistics): name, role, shape, count and whether it is trained, largest first. The totals go to the information stream: Total number of parameters: 78,330, trainable: 77,850.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
        Model = 'The model; without it, the model of the latest training.'
    }
    Examples    = @(
        @{ Code = 'Get-ClNetParameter -Model (New-ClNetModel CIFAR_WRN) | Select-Object -First 5'; Remarks = 'The five largest tensors of the small Wide ResNet.' }
        @{ Code = 'Get-ClNetParameter -Model $m 6>&1 | Select-Object -Last 1'; Remarks = 'Just the totals.' }
    )
    Links       = @('Get-ClNetGraph', 'New-ClNetModel')
}
