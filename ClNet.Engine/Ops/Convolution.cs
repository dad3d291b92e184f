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
/// bias[Cout], fused activation. Computed as im2col (one row per output pixel) and a matrix
/// product with the weights; the backward pass reuses the columns for the weight gradient and
/// gathers the column gradient back into the input (col2im).
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

    /// <summary>
    /// CPU devices compute a layer with at least 8 input channels (in multiples of 4) directly on the
    /// image, without the column matrix (kernels/convolution.cl); fewer channels leave too little work per
    /// tap, and GPU devices keep the column matrix for their tiled product.
    /// </summary>
    private static bool Direct(Replica r, int cin) => r.Device.GemmVariant != GemmVariant.Tiles && cin >= 8 && cin % 4 == 0;

    public override void Forward(Replica r, Node node)
    {
        var (n, cin, cout, k, rows) = Sizes(node, Window);
        var bias = node.Inputs.Count > 2 ? r[node.Inputs[2]] : null;
        if (Direct(r, cin))
        {
            var packed = PackWeights(r, node, WeightLayout.Forward);
            EnqueueDirect(r, node, Window, n, cin, r[node.Inputs[0]], packed, cout, r[node.Output], bias, beta: 0f, Activation);
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
        bool direct = Direct(r, cin);
        if (step.InputGradients[1] is { } dw)   // dW[Cout,K] = dZᵀ · cols
        {
            if (direct) EnqueueWeightGradient(r, node, n, cin, cout, dz, r[dw], step.Beta(1));
            else Gemm.Enqueue(r.Device, cout, k, rows, MatrixView.Transposed(dz, cout), MatrixView.RowMajor(r.Workspace(node, "cols", rows * k), k),
                MatrixView.RowMajor(r[dw], k), beta: step.Beta(1));
        }
        if (step.InputGradients.Count > 2 && step.InputGradients[2] is { } db)
            r.Device.Launch(r.Kernel("column_sum").Set(0, rows).Set(1, cout).Set(2, dz).Set(3, step.Beta(2)).Set(4, r[db]), (cout + 15) / 16, 1, 1, 1);
        if (step.InputGradients[0] is not { } dx) return;
        if (direct && cout >= 8 && Window.Stride == 1)
        {
            // with stride 1 the input gradient is a convolution of dZ with the kernel turned by 180 degrees
            var turned = new Window(Window.KernelH, Window.KernelW, 1, Window.KernelH - 1 - Window.PadH, Window.KernelW - 1 - Window.PadW,
                Window.OutH, Window.OutW, Window.InH, Window.InW);
            EnqueueDirect(r, node, turned, n, cout, dz, PackWeights(r, node, WeightLayout.Turned), cin, r[dx], null, step.Beta(0), Activation.Linear);
            return;
        }
        if (direct && cout >= 8)
        {
            int perPhase = ((Window.InW + Window.Stride - 1) / Window.Stride + 7) / 8;
            r.Device.Launch(Window.Apply(r.Kernel("conv_input_gradient"), n, cin)
                .Set(11, dz).Set(12, PackWeights(r, node, WeightLayout.Transposed)).Set(13, cout).Set(14, step.Beta(0)).Set(15, r[dx]).Set(16, Zeros(r, node)),
                n * Window.InH * Window.Stride * perPhase, (cin + 15) / 16, 1, 1);
            return;
        }
        // dcols = dZ · W, then gathered back into the input
        var dcols = r.Workspace(node, "dcols", rows * k);
        Gemm.Enqueue(r.Device, rows, k, cout, MatrixView.RowMajor(dz, cout), MatrixView.RowMajor(r[node.Inputs[1]], k), MatrixView.RowMajor(dcols, k));
        int pixels = n * Window.InH * Window.InW;
        r.Device.Launch1D(Window.Apply(r.Kernel("col2im"), n, cin).Set(11, dcols).Set(12, step.Beta(0)).Set(13, r[dx]), pixels);
    }

    /// <summary>The layouts of pack_conv_weights (kernels/convolution.cl).</summary>
    private enum WeightLayout { Forward = 0, Turned = 1, Transposed = 2 }

    /// <summary>The weights in panels of 16 channels: for the forward product, or for the input gradient (turned for stride 1).</summary>
    private DeviceBuffer PackWeights(Replica r, Node node, WeightLayout layout)
    {
        var weight = node.Inputs[1];
        int cout = weight.Shape[0], cin = weight.Shape[3];
        bool forward = layout == WeightLayout.Forward;
        int panels = ((forward ? cout : cin) + 15) / 16, depth = Window.KernelH * Window.KernelW * (forward ? cin : cout);
        var packed = r.Workspace(node, "weights:" + layout, panels * 16 * depth);
        r.Device.Launch(r.Kernel("pack_conv_weights").Set(0, cout).Set(1, Window.KernelH).Set(2, Window.KernelW).Set(3, cin)
            .Set(4, r[weight]).Set(5, (int)layout).Set(6, packed), panels, depth, 1, 64);
        return packed;
    }

    /// <summary>A row of zeros as long as the longest pixel the direct kernels read (they point padding taps at it).</summary>
    private static DeviceBuffer Zeros(Replica r, Node node) =>
        r.Workspace(node, "zeros", Math.Max(node.Inputs[0].Shape[3], node.Inputs[1].Shape[0]));   // allocated zeroed, never written

    /// <summary>y = act(conv(x) + bias) + beta·y over a window, with <paramref name="outputs"/> channels from packed weights.</summary>
    private static void EnqueueDirect(Replica r, Node node, Window window, int n, int channels, DeviceBuffer x, DeviceBuffer packed, int outputs,
        DeviceBuffer y, DeviceBuffer? bias, float beta, Activation activation)
    {
        int rows = n * window.OutH * window.OutW;
        r.Device.Launch(window.Apply(r.Kernel("conv_direct"), n, channels)
            .Set(11, x).Set(12, packed).Set(13, outputs).Set(14, y)
            .Set(15, bias).Set(16, (int)(bias is null ? BiasMode.None : BiasMode.PerColumn)).Set(17, beta).Set(18, (int)activation).Set(19, Zeros(r, node)),
            (rows + 7) / 8, (outputs + 15) / 16, 1, 1);
    }

    /// <summary>Output pixels per chunk of the weight gradient's partial sums: enough work per item, a chunk of input that stays in cache.</summary>
    private const int PixelsPerChunk = 512;

    /// <summary>dW = dZᵀ · (the column matrix), summed straight from the input in chunks of output rows, then over the chunks.</summary>
    private void EnqueueWeightGradient(Replica r, Node node, int n, int cin, int cout, DeviceBuffer dz, DeviceBuffer dw, float beta)
    {
        int k = Window.KernelH * Window.KernelW * cin, outputRows = n * Window.OutH;
        int rowsPerChunk = Math.Max(1, PixelsPerChunk / Window.OutW), chunks = (outputRows + rowsPerChunk - 1) / rowsPerChunk;
        var part = r.Workspace(node, "weight_gradient_chunks", chunks * k * cout);
        int block = cin % 8 == 0 ? 8 : 4;   // the taps' channels a work-item takes
        r.Device.Launch3D(Window.Apply(r.Kernel("conv_weight_gradient" + block), n, cin)
            .Set(11, r[node.Inputs[0]]).Set(12, dz).Set(13, cout).Set(14, rowsPerChunk).Set(15, part),
            k / block, (cout + 15) / 16, chunks, local: Math.Min(k / block, 256));
        r.Device.Launch(r.Kernel("conv_weight_gradient_sum").Set(0, k).Set(1, cout).Set(2, chunks).Set(3, part).Set(4, beta).Set(5, dw),
            (cout + 15) / 16, k, 1, 64);
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
