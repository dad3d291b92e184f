@{
    Synopsis    = 'Writes a tensor to a CSV file (clnets save_csv).'
    Description = @'
Export-ClNetTensor writes a tensor (or its gradient) of a running training, or a stored parameter of a model, to a CSV file: one row per element with the tensor's name, shape, the element's index and its value. The file is written atomically; Import-Csv reads it too.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
        Name = 'The tensor to write.'
        Path = 'The CSV file.'
        Gradient = 'Write gradient(Name).'
        PassThru = 'Write the file''s FileInfo.'
        Model = 'A model: its running training when it has one, otherwise its stored parameters and graph.'
        WhatIf = 'Shows which file would be written.'
        Confirm = 'Asks before writing the file.'
    }
    Examples    = @(
        @{ Code = 'Export-ClNetTensor l0_weight ./l0_weight.csv'; Remarks = 'Writes l0_weight of the latest training.' }
        @{ Code = 'Export-ClNetTensor conv1_weight ./w.csv -Model $m'; Remarks = 'Writes a parameter of a model that is not training.' }
    )
    Links       = @('Import-ClNetTensor', 'Get-ClNetTensor')
}
