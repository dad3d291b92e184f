@{
    Synopsis    = 'Returns the execution order of a trainings graph (clnets /ds and /dso).'
    Description = @'
Get-ClNetGraph returns the forward nodes, the backward nodes generated from the loss and the update, in execution order, each with its type, phase, output shape, inputs and clnet's alias. Without -OperatorsOnly the tensors are listed too, each before the first node that reads it.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
        OperatorsOnly = 'Only the nodes, without the tensors.'
        Model = 'A model: the graph of its training, or the graph at its default batch size.'
    }
    Examples    = @(
        @{ Code = 'Get-ClNetGraph -OperatorsOnly'; Remarks = 'Lists the nodes of the latest training.' }
        @{ Code = 'Get-ClNetGraph -Model (New-ClNetModel MNIST_CNN) | Where-Object Phase -eq Backward'; Remarks = 'Shows LeNet-5s backward pass.' }
    )
    Links       = @('Get-ClNetParameter', 'Get-ClNetTensor')
}
