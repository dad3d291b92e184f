namespace ClNet.Engine;

/// <summary>How a convolution or pooling pads its input.</summary>
public enum Padding
{
    /// <summary>No padding: the window stays inside the input.</summary>
    Valid,
    /// <summary>Zero padding so that the output has ceil(size / stride) pixels (TensorFlow's rule).</summary>
    Same,
}

/// <summary>The geometry of a sliding window over an NHWC tensor, shared by convolution and pooling.</summary>
public sealed record Window(int KernelH, int KernelW, int Stride, int PadH, int PadW, int InH, int InW, int OutH, int OutW)
{
    public static Window Of(int inH, int inW, int kernelH, int kernelW, int stride, Padding padding)
    {
        if (padding == Padding.Valid)
            return new Window(kernelH, kernelW, stride, 0, 0, inH, inW, (inH - kernelH) / stride + 1, (inW - kernelW) / stride + 1);
        int outH = (inH + stride - 1) / stride, outW = (inW + stride - 1) / stride;
        int padH = Math.Max((outH - 1) * stride + kernelH - inH, 0) / 2, padW = Math.Max((outW - 1) * stride + kernelW - inW, 0) / 2;
        return new Window(kernelH, kernelW, stride, padH, padW, inH, inW, outH, outW);
    }

    /// <summary>Sets the geometry arguments (N, H, W, C, OH, OW, KH, KW, stride, pad_h, pad_w) from index 0.</summary>
    internal Kernel Apply(Kernel k, int n, int channels) =>
        k.Set(0, n).Set(1, InH).Set(2, InW).Set(3, channels).Set(4, OutH).Set(5, OutW)
         .Set(6, KernelH).Set(7, KernelW).Set(8, Stride).Set(9, PadH).Set(10, PadW);
}

/// <summary>
/// clnet's ConvolutionLayer on NHWC tensors: x[N,H,W,Cin], weight[Cout,KH,KW,Cin], optional
/// bias[Cout], fused activation. GPU devices compute it as im2col (one row per output pixel) and a
/// matrix product with the weights, reusing the columns for the weight gradient and gathering the
/// column gradient back into the input (col2im). CPU devices read the image in place instead
/// (<see cref="DirectConvolution"/>): the column matrix is KH·KW times the input, and writing and
/// reading it cost more than the products.
/// </summary>
public sealed class ConvolutionOp : Op
{
    public Window Window { get; }
    public Activation Activation { get; }

    public ConvolutionOp(Window window, Activation activation)
    {
        Window = window;
        Activation = activation;
    }

    public override string TypeName => "ConvolutionLayer";

    private static (int N, int Cin, int Cout, int K, int Rows) Sizes(Node node, Window w)
    {
        int n = node.Inputs[0].Shape[0], cin = node.Inputs[0].Shape[3], cout = node.Inputs[1].Shape[0];
        return (n, cin, cout, w.KernelH * w.KernelW * cin, n * w.OutH * w.OutW);
    }

    private DirectConvolution? Direct(Replica r, Node node) =>
        r.Device.GemmVariant == GemmVariant.Tiles ? null : new DirectConvolution(r, node, Window);

    public override void Forward(Replica r, Node node)
    {
        var (n, cin, cout, k, rows) = Sizes(node, Window);
        var bias = node.Inputs.Count > 2 ? r[node.Inputs[2]] : null;
        if (Direct(r, node) is { } direct)
        {
            direct.Forward(bias, Activation);
            return;
        }
        var cols = r.Workspace(node, "cols", rows * k);
        r.Device.Launch1D(Window.Apply(r.Kernel("im2col"), n, cin).Set(11, r[node.Inputs[0]]).Set(12, cols), rows);
        Gemm.Enqueue(r.Device, rows, cout, k, MatrixView.RowMajor(cols, k), MatrixView.Transposed(r[node.Inputs[1]], k), MatrixView.RowMajor(r[node.Output], cout),
            bias, bias is null ? BiasMode.None : BiasMode.PerColumn, activation: Activation);
    }

    public override void Backward(Replica r, BackwardNode step)
    {
        var node = step.Forward;
        var (n, cin, cout, k, rows) = Sizes(node, Window);
        var dz = PreActivationGradient.Of(r, step, Activation);
        var direct = Direct(r, node);
        if (step.InputGradients[1] is { } dw)   // dW[Cout,K] = dZᵀ · cols
        {
            if (direct is not null) direct.WeightGradient(dz, r[dw], step.Beta(1));
            else Gemm.Enqueue(r.Device, cout, k, rows, MatrixView.Transposed(dz, cout), MatrixView.RowMajor(r.Workspace(node, "cols", rows * k), k),
                MatrixView.RowMajor(r[dw], k), beta: step.Beta(1));
        }
        if (step.InputGradients.Count > 2 && step.InputGradients[2] is { } db)
            r.Device.Launch(r.Kernel("column_sum").Set(0, rows).Set(1, cout).Set(2, dz).Set(3, step.Beta(2)).Set(4, r[db]), (cout + 15) / 16, 1, 1, 1);
        if (step.InputGradients[0] is not { } dx) return;
        if (direct is not null && direct.InputGradient(dz, r[dx], step.Beta(0))) return;
        // dcols = dZ · W, then gathered back into the input
        var dcols = r.Workspace(node, "dcols", rows * k);
        Gemm.Enqueue(r.Device, rows, k, cout, MatrixView.RowMajor(dz, cout), MatrixView.RowMajor(r[node.Inputs[1]], k), MatrixView.RowMajor(dcols, k));
        int pixels = n * Window.InH * Window.InW;
        r.Device.Launch1D(Window.Apply(r.Kernel("col2im"), n, cin).Set(11, dcols).Set(12, step.Beta(0)).Set(13, r[dx]), pixels);
    }
}

/// <summary>dZ = dY ⊙ f'(Y) for layers with a fused activation; dY itself for a linear one.</summary>
internal static class PreActivationGradient
{
    public static DeviceBuffer Of(Replica r, BackwardNode step, Activation activation)
    {
        var dy = r[step.OutputGradient!];
        if (activation == Activation.Linear) return dy;
        int count = step.Forward.Output.Volume;
        var dz = r.Workspace(step.Forward, "dz", count);
        r.Device.LaunchVectors(r.Kernel("activation_backward").Set(0, count).Set(1, r[step.Forward.Output]).Set(2, dy).Set(3, 0f).Set(4, dz).Set(5, (int)activation), count);
        return dz;
    }
}

public static class ConvolutionGraph
{
    /// <summary>
    /// Adds a convolution: x[N,H,W,Cin], weight[Cout,KH,KW,Cin], bias[Cout] or null. The alias is
    /// clnet's, conv1=Convolution:5x5(data), wrapped in the activation when there is one.
    /// </summary>
    public static Tensor Convolution(this Graph g, string name, Tensor x, Tensor weight, Tensor? bias, int stride = 1,
        Padding padding = Padding.Same, Activation activation = Activation.Linear)
    {
        if (x.Shape.Rank != 4) throw Graph.ShapeMismatch(name, x, weight, $"'{x.Name}' must be an NHWC image batch [N,H,W,C]");
        if (weight.Shape.Rank != 4 || weight.Shape[3] != x.Shape[3])
            throw Graph.ShapeMismatch(name, x, weight, $"'{weight.Name}' must be [out_channels,kh,kw,{x.Shape[3]}]");
        if (bias is not null && (bias.Shape.Rank != 1 || bias.Shape[0] != weight.Shape[0]))
            throw Graph.ShapeMismatch(name, weight, bias, $"'{bias.Name}' must be [{weight.Shape[0]}]");
        if (stride < 1) throw new ClNetException("InvalidStride", ClNetErrorKind.InvalidArgument, $"{name}: the stride must be at least 1, not {stride}.", name);
        var window = Window.Of(x.Shape[1], x.Shape[2], weight.Shape[1], weight.Shape[2], stride, padding);
        if (window.OutH < 1 || window.OutW < 1)
            throw Graph.ShapeMismatch(name, x, weight, "the kernel is larger than the (unpadded) input");
        string conv = $"Convolution:{weight.Shape[1]}x{weight.Shape[2]}({x.Name})";
        string alias = activation == Activation.Linear ? $"{name}={conv}" : $"{name}={ActivationNames.Of(activation)}({conv})";
        var inputs = bias is null ? new[] { x, weight } : new[] { x, weight, bias };
        return g.AddNode(new ConvolutionOp(window, activation), alias, name, new Shape(x.Shape[0], window.OutH, window.OutW, weight.Shape[0]), inputs);
    }
}
