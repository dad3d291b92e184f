@{
    Synopsis    = 'Creates a model by its clnet name.'
    Description = @'
New-ClNetModel builds one of ClNet's models and initialises its parameters from a seed, so that the same seed always gives the same model. The model object holds its graph (Tensors), its parameters and its default training settings; pipe it to Start-ClNetTraining to train it and to Save-ClNetModel to keep it.

Known models, as clnet names them (press Tab after the command name to complete them; an unknown name is an error, UnknownModel, that lists them):
MLP: clnet's multilayer perceptron, X[128,2] -> FC 4096 sigmoid -> FC 1 softrelu, regressing y = x0/x1 on generated data.
MNIST_CNN: LeNet-5 (conv 5x5x20 tanh, max pool, conv 5x5x50 tanh, max pool, FC 480 tanh, FC 10) on MNIST-format data; -DataPath names the folder (Debian's dataset-fashion-mnist installs Fashion-MNIST in /usr/share/datasets/fashion-mnist).
CIFAR_WRN: a Wide Residual Network on CIFAR-10's binary batches (-DataPath), with -Width k and -Depth N; width 1 and depth 1 give clnet's 78,330 parameters.
CharRNN: clnet's character-level LSTM (embedding, -Layers LSTM layers of -Hidden units on a dynamic graph, softmax over the alphabet) on a UTF-8 corpus (-CorpusPath). The alphabet comes from -IndexPath when that file exists, and is otherwise built from the corpus and written there (or beside the corpus as <corpus>.index.json); it is saved with the model's parameters too.

The data is read and checked when the model is created, so that a missing folder, a wrong magic number, a truncated file or label and image counts that disagree are errors naming the file before any training starts.
'@
    Parameters  = @{
        Name          = 'The model to build, as clnet names it: MLP, MNIST_CNN, CIFAR_WRN or CharRNN.'
        DataPath      = 'The folder of the model''s data: MNIST-format IDX files (train-images-idx3-ubyte or train-images.idx3-ubyte, raw or .gz, and the t10k files) for MNIST_CNN, CIFAR-10 binary batches (data_batch_1.bin ... data_batch_5.bin, test_batch.bin) for CIFAR_WRN. The MLP generates its data.'
        Seed          = 'Seed of the parameter initialisation; it is also the default seed of Start-ClNetTraining. The default is 1.'
        Option        = 'Model settings as a hashtable. MLP: Hidden (the width of the hidden layer, 4096 by default). CIFAR_WRN: Width (k, 1 by default) and Depth (blocks per group, 1 by default). An unknown setting is an error that lists the known ones.'
        CorpusPath     = 'CharRNN: the UTF-8 text to learn. An empty or missing file, or characters the given index lacks, are errors.'
        IndexPath      = 'CharRNN: the character index (clnet''s index_file, a JSON array of characters): loaded when it exists, written from the corpus otherwise.'
        Layers         = 'CharRNN: LSTM layers (3 by default).'
        Hidden         = 'MLP and CharRNN: units of the hidden layer (4096) or of each LSTM layer (256).'
        Embedding      = 'CharRNN: width of the character embedding (256 by default).'
        SequenceLength = 'CharRNN: characters per training sequence (129 by default).'
        Dropout        = 'CharRNN: dropout probability after each LSTM layer in training (0 by default).'
        Width          = 'CIFAR_WRN: the widening factor k (1 by default).'
        Depth          = 'CIFAR_WRN: pre-activation blocks per group, N (1 by default).'
        ParameterPath = 'A parameter file written by Save-ClNetModel; its values replace the initial ones. A missing, damaged or mismatched file is an error and no model is written.'
    }
    Examples    = @(
        @{ Code = 'New-ClNetModel MLP'; Remarks = 'Creates clnet''s MLP with 16,385 parameters.' }
        @{ Code = 'New-ClNetModel MLP -Seed 7 -Option @{ Hidden = 1024 }'; Remarks = 'A narrower MLP, initialised from seed 7.' }
        @{ Code = 'New-ClNetModel MLP | Start-ClNetTraining -Wait'; Remarks = 'Creates the model and trains it in the foreground with a progress bar.' }
        @{ Code = 'New-ClNetModel MLP -ParameterPath ./mlp.clnetparams'; Remarks = 'Creates the model and loads trained parameters into it.' }
        @{ Code = 'New-ClNetModel MNIST_CNN -DataPath /usr/share/datasets/fashion-mnist | Start-ClNetTraining -Epochs 2 -Wait'; Remarks = 'Trains LeNet-5 on Fashion-MNIST; the epoch records carry the test-set accuracy.' }
        @{ Code = 'New-ClNetModel CIFAR_WRN -DataPath ./cifar-10-batches-bin -Width 2 -Depth 2'; Remarks = 'A WRN-14-2 on CIFAR-10.' }
        @{ Code = 'bible -f ''Gen1:1-Rev22:21'' > kjv.txt; New-ClNetModel CharRNN -CorpusPath ./kjv.txt -IndexPath ./kjv.index.json'; Remarks = 'clnet''s char-RNN on the King James Bible (Debian package bible-kjv).' }
    )
    Links       = @('Start-ClNetTraining', 'Save-ClNetModel', 'Import-ClNetModel')
}
