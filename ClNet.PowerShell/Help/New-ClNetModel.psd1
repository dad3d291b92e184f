@{
    Synopsis    = 'Creates a model by its clnet name.'
    Description = @'
New-ClNetModel builds one of ClNet's models and initialises its parameters from a seed, so that the same seed always gives the same model. The model object holds its graph (Tensors), its parameters and its default training settings; pipe it to Start-ClNetTraining to train it and to Save-ClNetModel to keep it.

Known models, as clnet names them (press Tab after the command name to complete them; an unknown name is an error, UnknownModel, that lists them):
MLP: clnet's multilayer perceptron, X[128,2] -> FC 4096 sigmoid -> FC 1 softrelu, regressing y = x0/x1 on generated data.
MNIST_CNN: LeNet-5 (conv 5x5x20 tanh, max pool, conv 5x5x50 tanh, max pool, FC 480 tanh, FC 10) on MNIST-format data; -DataPath names the folder (Debian's dataset-fashion-mnist installs Fashion-MNIST in /usr/share/datasets/fashion-mnist).
CIFAR_WRN: a Wide Residual Network on CIFAR-10's binary batches (-DataPath), with -Option @{ Width = k; Depth = N }; width 1 and depth 1 give clnet's 78,330 parameters.

The data is read and checked when the model is created, so that a missing folder, a wrong magic number, a truncated file or label and image counts that disagree are errors naming the file before any training starts.
'@
    Parameters  = @{
        Name          = 'The model to build, as clnet names it: MLP, MNIST_CNN or CIFAR_WRN.'
        DataPath      = 'The folder of the model''s data: MNIST-format IDX files (train-images-idx3-ubyte or train-images.idx3-ubyte, raw or .gz, and the t10k files) for MNIST_CNN, CIFAR-10 binary batches (data_batch_1.bin ... data_batch_5.bin, test_batch.bin) for CIFAR_WRN. The MLP generates its data.'
        Seed          = 'Seed of the parameter initialisation; it is also the default seed of Start-ClNetTraining. The default is 1.'
        Option        = 'Model settings as a hashtable. MLP: Hidden (the width of the hidden layer, 4096 by default). CIFAR_WRN: Width (k, 1 by default) and Depth (blocks per group, 1 by default). An unknown setting is an error that lists the known ones.'
        ParameterPath = 'A parameter file written by Save-ClNetModel; its values replace the initial ones. A missing, damaged or mismatched file is an error and no model is written.'
    }
    Examples    = @(
        @{ Code = 'New-ClNetModel MLP'; Remarks = 'Creates clnet''s MLP with 16,385 parameters.' }
        @{ Code = 'New-ClNetModel MLP -Seed 7 -Option @{ Hidden = 1024 }'; Remarks = 'A narrower MLP, initialised from seed 7.' }
        @{ Code = 'New-ClNetModel MLP | Start-ClNetTraining -Wait'; Remarks = 'Creates the model and trains it in the foreground with a progress bar.' }
        @{ Code = 'New-ClNetModel MLP -ParameterPath ./mlp.clnetparams'; Remarks = 'Creates the model and loads trained parameters into it.' }
        @{ Code = 'New-ClNetModel MNIST_CNN -DataPath /usr/share/datasets/fashion-mnist | Start-ClNetTraining -Epochs 2 -Wait'; Remarks = 'Trains LeNet-5 on Fashion-MNIST; the epoch records carry the test-set accuracy.' }
        @{ Code = 'New-ClNetModel CIFAR_WRN -DataPath ./cifar-10-batches-bin -Option @{ Width = 2; Depth = 2 }'; Remarks = 'A WRN-14-2 on CIFAR-10.' }
    )
    Links       = @('Start-ClNetTraining', 'Save-ClNetModel', 'Import-ClNetModel')
}
