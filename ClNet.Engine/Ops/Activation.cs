namespace ClNet.Engine;

/// <summary>Activation functions; the values are the ACT_* codes of kernels/common.cl.</summary>
public enum Activation
{
    Linear = 0,
    Sigmoid = 1,
    Tanh = 2,
    Relu = 3,
    /// <summary>softplus: log(1 + e^x), clnet's softrelu.</summary>
    SoftRelu = 4,
}

public static class ActivationNames
{
    /// <summary>clnet's spelling in aliases: sigmoid, tanh, relu, softrelu.</summary>
    public static string Of(Activation a) => a switch
    {
        Activation.Sigmoid => "sigmoid",
        Activation.Tanh => "tanh",
        Activation.Relu => "relu",
        Activation.SoftRelu => "softrelu",
        _ => "linear",
    };
}
