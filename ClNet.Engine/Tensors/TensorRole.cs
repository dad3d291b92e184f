namespace ClNet.Engine;

/// <summary>clnet's tensor types. Weights and biases are trained; a Parameter is saved but not trained.</summary>
public enum TensorRole
{
    Data,
    Weight,
    Bias,
    Parameter,
    Output,
    Gradient,
}
