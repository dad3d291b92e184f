@{
    Synopsis    = 'Saves a model''s parameters to a file.'
    Description = @'
Save-ClNetModel writes the model's name, options and every saved tensor (weights, biases and untrained parameters) to a ClNet parameter file, closed by a SHA-256 checksum. The file is written to a temporary file first and then renamed over the target, so an interrupted save never leaves half a file. Import-ClNetModel, or New-ClNetModel -ParameterPath, reads it back.
'@
    Parameters  = @{
        Model     = 'The model to save, from the pipeline.'
        Path      = 'The file to write. Its folder must exist.'
        NoClobber = 'Do not replace an existing file; write an error instead.'
        PassThru  = 'Write the FileInfo of the saved file to the pipeline.'
        WhatIf    = 'Shows which file would be written without writing it.'
        Confirm   = 'Asks before writing the file.'
    }
    Examples    = @(
        @{ Code = '$m | Save-ClNetModel ./mlp.clnetparams'; Remarks = 'Saves the model in $m.' }
        @{ Code = '(Get-Job -Name mlp).Model | Save-ClNetModel ./mlp.clnetparams -PassThru'; Remarks = 'Saves the model of a training job (its values as of the last finished epoch, or the end of the run) and shows the file.' }
    )
    Links       = @('Import-ClNetModel', 'New-ClNetModel')
}
