@{
    Synopsis    = 'Changes the values of a tensor slice in a running training.'
    Description = @'
Set-ClNetTensor sets (-Value), adds to (-Add) or multiplies (-Multiply) the elements of a slice of a tensor of a running training (or, with -Gradient, of its gradient). The change happens at the next step boundary, or at once where the training is paused. It supports -WhatIf and -Confirm.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
        Name = 'The tensor to change.'
        Slice = 'The part to change, in Get-ClNetTensor''s grammar (all of it by default).'
        Value = 'The value every element of the slice gets.'
        Add = 'The amount added to every element of the slice.'
        Multiply = 'The factor every element of the slice is multiplied by.'
        Gradient = 'Change gradient(Name).'
        Device = 'Change only this replica of a multi-device training; by default every replica changes, so that they stay identical.'
        Reshape = 'Use clnet''s reshaping for the slice.'
        PassThru = 'Write the slice''s new values.'
        WhatIf = 'Shows what would change without changing it.'
        Confirm = 'Asks before changing the tensor.'
    }
    Examples    = @(
        @{ Code = 'Set-ClNetTensor l0_weight -Slice '':,0:8'' -Value 0'; Remarks = 'Zeroes 16 weights.' }
        @{ Code = 'Set-ClNetTensor l1_weight -Multiply 0.5 -PassThru'; Remarks = 'Halves every weight of l1_weight and shows the result.' }
        @{ Code = 'Set-ClNetTensor l0_bias -Add 1 -WhatIf'; Remarks = 'Shows what would change.' }
    )
    Links       = @('Get-ClNetTensor', 'Import-ClNetTensor')
}
