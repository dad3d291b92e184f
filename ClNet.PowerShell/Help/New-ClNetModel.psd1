@{
    Synopsis    = 'Creates a model by its clnet name.'
    Description = @'
New-ClNetModel builds one of ClNet's models and initialises its parameters from a seed, so that the same seed always gives the same model. The model object holds its graph (Tensors), its parameters and its default training settings; pipe it to Start-ClNetTraining to train it and to Save-ClNetModel to keep it.

Known models: MLP (clnet's multilayer perceptron: X[128,2], a 4096-unit sigmoid layer and a softrelu output, regressing y = x0/x1 on generated data). Press Tab after the command name to complete model names. An unknown name is an error (UnknownModel) that lists the known ones.
'@
    Parameters  = @{
        Name          = 'The model to build, as clnet names it: MLP.'
        Seed          = 'Seed of the parameter initialisation; it is also the default seed of Start-ClNetTraining. The default is 1.'
        Option        = 'Model settings as a hashtable. MLP: Hidden (the width of the hidden layer, 4096 by default). An unknown setting is an error that lists the known ones.'
        ParameterPath = 'A parameter file written by Save-ClNetModel; its values replace the initial ones. A missing, damaged or mismatched file is an error and no model is written.'
    }
    Examples    = @(
        @{ Code = 'New-ClNetModel MLP'; Remarks = 'Creates clnet''s MLP with 16,385 parameters.' }
        @{ Code = 'New-ClNetModel MLP -Seed 7 -Option @{ Hidden = 1024 }'; Remarks = 'A narrower MLP, initialised from seed 7.' }
        @{ Code = 'New-ClNetModel MLP | Start-ClNetTraining -Wait'; Remarks = 'Creates the model and trains it in the foreground with a progress bar.' }
        @{ Code = 'New-ClNetModel MLP -ParameterPath ./mlp.clnetparams'; Remarks = 'Creates the model and loads trained parameters into it.' }
    )
    Links       = @('Start-ClNetTraining', 'Save-ClNetModel', 'Import-ClNetModel')
}
