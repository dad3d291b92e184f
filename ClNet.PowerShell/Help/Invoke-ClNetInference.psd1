@{
    Synopsis    = 'Classifies pictures with an image model, or generates text with a character model.'
    Description = @'
Invoke-ClNetInference runs a model in inference mode (batch normalisation uses its moving statistics) on BMP or PNG pictures and writes one Prediction per picture: its path, the predicted class, that class's probability, and the probabilities of all classes.

The pictures must have the model's input size: 28x28 for MNIST_CNN (clnet's white digit on black, 24-bit BMP, or a PNG; colour pictures are turned to gray by luminance) and 32x32 for CIFAR_WRN (gray pictures repeat their channel). A file that is missing, unreadable, of another size or neither BMP nor PNG is an error for that file (ImageNotFound, InvalidImage, ImageSizeMismatch); the other files are still classified. Paths may contain wildcards, and files piped from Get-ChildItem bind by their FullName.

With -Prefix, a CharRNN generates text: it reads the prefix, then adds -Length characters, each drawn from the softmax of its logits divided by -Temperature (the most likely character when the temperature is 0), and returns the whole text as a string. The alphabet is the one saved with the model; -IndexPath checks it against an index file.
'@
    Parameters  = @{
        Model  = 'The model, with trained parameters (from training, Import-ClNetModel or New-ClNetModel -ParameterPath).'
        Path   = 'The pictures: paths, wildcards, or files from the pipeline.'
        Prefix      = 'The text a CharRNN starts from; every character must be in its alphabet.'
        Length      = 'How many characters to generate (200 by default).'
        Temperature = 'Sampling temperature (1 by default); 0 is greedy, lower is more conservative.'
        Seed        = 'Seed of the sampling: the same seed gives the same text.'
        IndexPath   = 'The character index the model was trained with; an error when it is not the model''s alphabet.'
        Device = 'The index of the OpenCL device to run on (see Get-ClNetDevice). The default is 0.'
    }
    Examples    = @(
        @{ Code = 'Invoke-ClNetInference -Model $m -Path ./digit.bmp'; Remarks = 'Classifies one picture.' }
        @{ Code = 'Get-ChildItem ./samples/*.png | Invoke-ClNetInference -Model $m | Sort-Object Probability'; Remarks = 'Classifies a folder of pictures, least certain first.' }
        @{ Code = '$m = Import-ClNetModel ./lenet.clnetparams; Invoke-ClNetInference -Model $m ./a.bmp, ./b.png | Select-Object Path, Class'; Remarks = 'Uses a saved model in a new session.' }
        @{ Code = 'Invoke-ClNetInference -Model $rnn -Prefix ''And God said'' -Length 200 -Temperature 0.8'; Remarks = 'Continues a prefix with a trained CharRNN.' }
    )
    Links       = @('New-ClNetModel', 'Import-ClNetModel', 'Start-ClNetTraining')
}
