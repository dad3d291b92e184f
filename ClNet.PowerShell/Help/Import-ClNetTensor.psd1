@{
    Synopsis    = 'Reads a tensor from a CSV file (clnets load_csv).'
    Description = @'
Import-ClNetTensor reads a file written by Export-ClNetTensor into the tensor it names (or -Name): into a running training at its next step boundary, or into a model's stored parameters. A file whose shape does not fit the tensor is an error (TensorShapeMismatch) and nothing changes.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
        Path = 'The CSV file; files piped from Get-ChildItem bind by their FullName.'
        Name = 'The tensor to fill instead of the one the file names.'
        Model = 'A model: its running training when it has one, otherwise its stored parameters and graph.'
        WhatIf = 'Shows which tensor would change.'
        Confirm = 'Asks before replacing the values.'
    }
    Examples    = @(
        @{ Code = 'Import-ClNetTensor ./l0_weight.csv'; Remarks = 'Puts the saved l0_weight back into the latest training.' }
        @{ Code = 'Import-ClNetTensor ./w.csv -Name conv1_weight -Model $m'; Remarks = 'Loads the file into a model that is not training.' }
    )
    Links       = @('Export-ClNetTensor', 'Set-ClNetTensor')
}
