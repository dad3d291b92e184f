@{
    Synopsis    = 'Lists the tensors of a training, or reads one of them, or a slice (clnets d and name[...]).'
    Description = @'
Without a name, Get-ClNetTensor lists every tensor of the training's graph: name, role (Data, Weight, Bias, Parameter, Output, Gradient), shape, bytes and whether it has a gradient.

With a name it returns the tensor's values (or with -Gradient those of gradient(name)) as a TensorValues object: name, role, full shape, the slice, and the values as a multi-dimensional array; it prints like clnet's listing (data[0:2/2,0:8/4096] for l0_weight[2,4096], then one line per row). A running training is read at a step boundary, never half-way through a step; a paused one where it stands. A model that is not training gives its stored parameters.

The slice grammar, one part per dimension separated by commas: an index (negative indexes count from the end; the dimension goes away), a range a:b (either end may be left out), or : for the whole dimension; dimensions left out at the end are taken whole. With -Reshape, clnet's reshaping applies instead: with fewer parts than dimensions, the tensor is viewed with as many dimensions as there are parts, the last one spanning the rest. An index out of range is an error (SliceOutOfRange) that shows the shape.
'@
    Parameters  = @{
        Job = 'The training job to act on (from Start-ClNetTraining or Get-Job); it may come through the pipeline.'
        Session = 'The training session to act on (a job''s Session property). Without -Job or -Session the cmdlet acts on the most recently started training in this PowerShell session.'
        Name = 'The tensor to read; without it every tensor is listed.'
        Slice = 'The part to read, for example '':,0:8'' or ''-1'' (all of it by default).'
        Gradient = 'Read gradient(Name).'
        Device = 'Which replica of a multi-device training to read, counting from 0 (0 by default).'
        Reshape = 'Use clnet''s reshaping when the slice has fewer parts than the tensor has dimensions.'
        Model = 'A model: its running training when it has one, otherwise its stored parameters and graph.'
    }
    Examples    = @(
        @{ Code = 'Get-ClNetTensor'; Remarks = 'Lists the tensors of the latest training.' }
        @{ Code = 'Get-ClNetTensor l0_weight -Slice '':,0:8'''; Remarks = 'Reads the first 8 columns of l0_weight.' }
        @{ Code = 'Get-ClNetTensor l0_weight '':,0:8'' -Gradient'; Remarks = 'Reads the same slice of gradient(l0_weight).' }
        @{ Code = '(Get-ClNetTensor conv1 ''0:2,0:8'' -Reshape).Values'; Remarks = 'Reads conv1[32,28,28,20] viewed as [32,15680], as clnet does.' }
    )
    Links       = @('Set-ClNetTensor', 'Export-ClNetTensor', 'Set-ClNetBreakpoint')
}
