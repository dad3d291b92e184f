@{
    Synopsis    = 'Reads a parameter file into a new model, or into a given one.'
    Description = @'
Import-ClNetModel reads a file written by Save-ClNetModel. Without -Model it creates the model the file records (its name, options and seed) and loads the parameters into it. With -Model it loads the parameters into that model; every parameter must be present with the model's shape.

The whole file is checked before anything changes: a missing file (ParameterFileNotFound), a file that is not a parameter file or is truncated or damaged (InvalidParameterFile) and a file of another shape (ParameterShapeMismatch, naming the tensor and both shapes) are errors that leave the model as it was.
'@
    Parameters  = @{
        Path    = 'The parameter file. Files piped from Get-ChildItem bind by their FullName.'
        Model    = 'Load into this model instead of creating one.'
        DataPath = 'With a new model, the folder of its data, as for New-ClNetModel -DataPath, so that it can go on training.'
        WhatIf  = 'Shows which model would be changed without changing it.'
        Confirm = 'Asks before replacing the model''s parameters.'
    }
    Examples    = @(
        @{ Code = '$m = Import-ClNetModel ./mlp.clnetparams'; Remarks = 'Recreates the saved model.' }
        @{ Code = 'Import-ClNetModel ./mlp.clnetparams -Model $m'; Remarks = 'Replaces the parameters of $m with the saved ones.' }
        @{ Code = 'Get-ChildItem ./checkpoints/*.clnetparams | Import-ClNetModel'; Remarks = 'Imports every saved model of a folder.' }
    )
    Links       = @('Save-ClNetModel', 'New-ClNetModel')
}
