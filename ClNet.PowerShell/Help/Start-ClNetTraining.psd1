@{
    Synopsis    = 'Trains a model, as a background job or in the foreground.'
    Description = @'
Start-ClNetTraining trains a model on one OpenCL device, on several (-Device 0,1: data parallelism, exactly one device's result for the same global batch), or as one rank of an MPI job (-Distributed). By default it starts a background job and returns it at once: Get-Job lists it, Receive-Job returns its progress records (typed ClNet.Engine.TrainingProgress objects: epoch, step, iteration, loss, samples per second, elapsed time) and shows its progress bar, Wait-Job waits for it, Stop-Job ends it at the next step boundary, and Remove-Job removes it. The model's parameters are written back at the end of every epoch and when the training ends, however it ends, so a stopped job leaves a usable model.

With -Wait the training runs in the foreground with a progress bar and the records are written to the pipeline; Ctrl+C stops it at a step boundary.

A record is written at the first step, every -ReportEvery steps, and at the end of each epoch (Kind = Epoch, with the epoch's mean loss). Settings that are not given come from the model's defaults. Bad values (a device index that does not exist, a non-positive epoch count or batch size) are errors before anything starts.
'@
    Parameters  = @{
        Model         = 'The model to train, usually from New-ClNetModel or Import-ClNetModel through the pipeline.'
        Device        = 'The index of the OpenCL device (see Get-ClNetDevice), or several: a replica of the model on each, every batch split between them (uneven splits allowed), gradients averaged over the whole batch, the same update everywhere. The default is 0.'
        Distributed   = 'Train as one rank of an MPI job started with mpirun (Open MPI: apt-get install openmpi-bin libopenmpi-dev): every batch is split between the ranks and their devices, gradients are averaged over all of them, and only rank 0 writes progress and files.'
        Epochs        = 'The number of passes over the data. The MLP''s default is 2.'
        BatchSize     = 'Samples per step. The MLP''s default is 128.'
        StepsPerEpoch = 'At most this many steps per epoch, for a quick run. The MLP''s epoch is 1,000 steps of generated data.'
        LearningRate  = 'The SGD learning rate. The MLP''s default is 0.0005.'
        Momentum      = 'The SGD momentum. The MLP''s default is 0.9.'
        WeightDecay   = 'L2 weight decay added to every gradient. The default is 0.'
        Seed          = 'Seed of the training data (generated or shuffled). The default is the model''s seed; the same seeds give the same run.'
        Optimizer     = 'SGD (with momentum) or Adam. The CharRNN trains with Adam by default, the other models with SGD.'
        ClipNorm      = 'Clip the global norm of all gradients to this value before each update (0: no clipping; the CharRNN clips at 5 by default).'
        ReportEvery   = 'Write a progress record every this many steps. The default is 100.'
        Name          = 'A name for the job, for Get-Job -Name.'
        Profile       = 'Profile every node from the first step on (see Get-ClNetProfile).'
        Wait          = 'Train in the foreground with a progress bar and write the records to the pipeline instead of returning a job.'
        WhatIf        = 'Shows what would be trained without training.'
        Confirm       = 'Asks before training.'
    }
    Examples    = @(
        @{ Code = '$job = New-ClNetModel MLP | Start-ClNetTraining -Epochs 4 -Name mlp'; Remarks = 'Starts a background training job and keeps it in $job.' }
        @{ Code = 'Receive-Job -Name mlp -Keep | Format-Table'; Remarks = 'Shows the progress records written so far.' }
        @{ Code = 'Stop-Job -Name mlp; $job.Model | Save-ClNetModel ./mlp.clnetparams'; Remarks = 'Stops the training at a step boundary and saves what was learnt.' }
        @{ Code = '$m = New-ClNetModel MLP; $m | Start-ClNetTraining -Epochs 1 -Wait | Where-Object Kind -eq Epoch'; Remarks = 'Trains in the foreground and keeps only the end-of-epoch record.' }
        @{ Code = 'Receive-Job $job -Wait -AutoRemoveJob | Export-Csv ./log.csv'; Remarks = 'Waits for the job, writes its log to a CSV file and removes the job.' }
        @{ Code = 'New-ClNetModel MNIST_CNN -DataPath $data | Start-ClNetTraining -Device 0,1 -Wait'; Remarks = 'Trains on two devices; the records show Devices = 2 and the all-reduce time per step.' }
        @{ Code = 'mpirun -np 2 dotnet pwsh -c "Import-Module ./ClNet.psd1; New-ClNetModel MNIST_CNN -DataPath $data | Start-ClNetTraining -Distributed -Wait"'; Remarks = 'Two MPI ranks (on one machine or several), each with its half of every batch.' }
        @{ Code = 'New-ClNetModel CharRNN -CorpusPath ./kjv.txt | Start-ClNetTraining -Optimizer Adam -LearningRate 0.002 -ClipNorm 5'; Remarks = 'Trains the char-RNN; its records carry bits per character and characters per second.' }
    )
    Links       = @('New-ClNetModel', 'Save-ClNetModel', 'Get-ClNetDevice', 'Receive-Job', 'Stop-Job')
}
