@{
    Synopsis    = 'Classifies pictures with a trained model.'
    Description = @'
Invoke-ClNetInference runs a model in inference mode (batch normalisation uses its moving statistics) on BMP or PNG pictures and writes one Prediction per picture: its path, the predicted class, that class's probability, and the probabilities of all classes.

The pictures must have the model's input size: 28x28 for MNIST_CNN (clnet's white digit on black, 24-bit BMP, or a PNG; colour pictures are turned to gray by luminance) and 32x32 for CIFAR_WRN (gray pictures repeat their channel). A file that is missing, unreadable, of another size or neither BMP nor PNG is an error for that file (ImageNotFound, InvalidImage, ImageSizeMismatch); the other files are still classified. Paths may contain wildcards, and files piped from Get-ChildItem bind by their FullName.
'@
    Parameters  = @{
        Model  = 'The model, with trained parameters (from training, Import-ClNetModel or New-ClNetModel -ParameterPath).'
        Path   = 'The pictures: paths, wildcards, or files from the pipeline.'
        Device = 'The index of the OpenCL device to run on (see Get-ClNetDevice). The default is 0.'
    }
    Examples    = @(
        @{ Code = 'Invoke-ClNetInference -Model $m -Path ./digit.bmp'; Remarks = 'Classifies one picture.' }
        @{ Code = 'Get-ChildItem ./samples/*.png | Invoke-ClNetInference -Model $m | Sort-Object Probability'; Remarks = 'Classifies a folder of pictures, least certain first.' }
        @{ Code = '$m = Import-ClNetModel ./lenet.clnetparams; Invoke-ClNetInference -Model $m ./a.bmp, ./b.png | Select-Object Path, Class'; Remarks = 'Uses a saved model in a new session.' }
    )
    Links       = @('New-ClNetModel', 'Import-ClNetModel', 'Start-ClNetTraining')
}
