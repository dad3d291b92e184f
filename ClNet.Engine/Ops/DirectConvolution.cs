namespace ClNet.Engine;

/// <summary>
/// A convolution layer computed on the image in place, for CPU devices (kernels/convolution.cl):
/// every kernel keeps a block of 8 pixels x 16 channels in float16 registers, like the packed product,
/// but reads the receptive fields where they are instead of from a column matrix.
/// Inputs with 8 or more channels (in fours) are read directly, padding taps pointed at a row of
/// zeros; inputs with fewer (an image's 1 or 3) go through a zero-padded copy, where the KW·C values
/// of a window row are contiguous and need no bounds checks. A last panel of 4 or fewer output channels
/// (stride 1) goes to conv_rows4 instead, which holds 16 pixels of a row x 4 channels.
/// </summary>
internal sealed class DirectConvolution
{
    private readonly Replica _r;
    private readonly Node _node;
    private readonly Window _window;
    private readonly int _n, _cin, _cout;

    public DirectConvolution(Replica r, Node node, Window window)
    {
        _r = r;
        _node = node;
        _window = window;
        _n = node.Inputs[0].Shape[0];
        _cin = node.Inputs[0].Shape[3];
        _cout = node.Inputs[1].Shape[0];
    }

    /// <summary>Enough channels per tap to read the input in place (the weight gradient takes them in blocks of 8 or 4).</summary>
    private bool InPlace => _cin >= 8 && _cin % 4 == 0;

    private Kernel Geometry(string kernel, Window window, int channels) => window.Apply(_r.Kernel(kernel), _n, channels);

    /// <summary>The padded copy's height and width: every window lies inside it.</summary>
    private (int H, int W) PaddedSize => ((_window.OutH - 1) * _window.Stride + _window.KernelH, (_window.OutW - 1) * _window.Stride + _window.KernelW);

    private DeviceBuffer Padded => _r.Workspace(_node, "padded", _n * PaddedSize.H * PaddedSize.W * _cin);

    /// <summary>y = act(conv(x) + bias).</summary>
    public void Forward(DeviceBuffer? bias, Activation activation)
    {
        var x = _r[_node.Inputs[0]];
        var weights = PackWeights(WeightLayout.Forward);
        if (InPlace)
        {
            Direct(_window, _cin, x, "rows", weights, _cout, _r[_node.Output], bias, 0f, activation);
            return;
        }
        var (hp, wp) = PaddedSize;
        _r.Device.Launch1D(_r.Kernel("pad_image").Set(0, _n).Set(1, _window.InH).Set(2, _window.InW).Set(3, _cin)
            .Set(4, _window.PadH).Set(5, _window.PadW).Set(6, hp).Set(7, wp).Set(8, x).Set(9, Padded), _n * hp);
        int panels = Panels(_window, _cout);
        _r.Device.Launch(_r.Kernel("conv_direct_padded")
            .Set(0, _n).Set(1, hp).Set(2, wp).Set(3, _cin).Set(4, _window.OutH).Set(5, _window.OutW)
            .Set(6, _window.KernelH).Set(7, _window.KernelW).Set(8, _window.Stride)
            .Set(9, Padded).Set(10, weights).Set(11, _cout).Set(12, _r[_node.Output])
            .Set(13, bias).Set(14, (int)(bias is null ? BiasMode.None : BiasMode.PerColumn)).Set(15, 0f).Set(16, (int)activation),
            (_n * _window.OutH * _window.OutW + 7) / 8, panels, 1, 1);
        if (panels * 16 < _cout) LastPanel(_window, _cin, x, "rows", weights, _cout, _r[_node.Output], bias, 0f, activation, panels * 16);
    }

    /// <summary>
    /// The panels of 16 channels the 16-wide kernels compute: all of them, or with stride 1 all but a last one with 4
    /// or fewer channels, which conv_rows4 takes (a 16-wide pass would spend most of its work on zero weights).
    /// </summary>
    private static int Panels(Window window, int channels) =>
        window.Stride == 1 && channels % 16 is > 0 and <= 4 ? channels / 16 : (channels + 15) / 16;

    /// <summary>Output pixels per chunk of the weight gradient's partial sums: enough work per item, a chunk of input that stays in cache.</summary>
    private const int PixelsPerChunk = 512;

    /// <summary>dW = dZᵀ · (the column matrix), summed from the input (or its padded copy) in chunks of output rows, then over the chunks.</summary>
    public void WeightGradient(DeviceBuffer dz, DeviceBuffer dw, float beta)
    {
        int k = _window.KernelH * _window.KernelW * _cin, outputRows = _n * _window.OutH;
        int rowsPerChunk = Math.Max(1, PixelsPerChunk / _window.OutW), chunks = (outputRows + rowsPerChunk - 1) / rowsPerChunk;
        var part = _r.Workspace(_node, "weight_gradient_chunks", chunks * k * _cout);
        if (InPlace)
        {
            int block = _cin % 8 == 0 ? 8 : 4;   // the channels of one tap a work-item takes
            int width = _cout > 16 ? 32 : 16;    // output channels per work-item: two panels share the loads of x
            string kernel = (block, width) switch
            {
                (8, 32) => "conv_weight_gradient8x2",
                (8, _) => "conv_weight_gradient8",
                (_, 32) => "conv_weight_gradient4x2",
                _ => "conv_weight_gradient4",
            };
            _r.Device.Launch3D(Geometry(kernel, _window, _cin)
                .Set(11, _r[_node.Inputs[0]]).Set(12, dz).Set(13, _cout).Set(14, rowsPerChunk).Set(15, part),
                k / block, (_cout + width - 1) / width, chunks, local: Math.Min(k / block, 256));
        }
        else
        {
            var (hp, wp) = PaddedSize;
            int items = _window.KernelH * ((_window.KernelW * _cin + 7) / 8);   // blocks of 8 values of each window row
            _r.Device.Launch3D(_r.Kernel("conv_weight_gradient_padded")
                .Set(0, _n).Set(1, hp).Set(2, wp).Set(3, _cin).Set(4, _window.OutH).Set(5, _window.OutW)
                .Set(6, _window.KernelH).Set(7, _window.KernelW).Set(8, _window.Stride)
                .Set(9, Padded).Set(10, dz).Set(11, _cout).Set(12, rowsPerChunk).Set(13, part),
                items, (_cout + 15) / 16, chunks, local: items);
        }
        _r.Device.Launch(_r.Kernel("conv_weight_gradient_sum").Set(0, k).Set(1, _cout).Set(2, chunks).Set(3, part).Set(4, beta).Set(5, dw),
            (_cout + 15) / 16, k, 1, 64);
    }

    /// <summary>
    /// dX = the adjoint of the convolution applied to dZ (+ beta·dX); false when dZ has too few
    /// channels for it (the caller then goes through the column gradient).
    /// </summary>
    public bool InputGradient(DeviceBuffer dz, DeviceBuffer dx, float beta)
    {
        if (_cout < 8) return false;
        if (_window.Stride == 1)
        {
            // with stride 1 the input gradient is a convolution of dZ with the kernel turned by 180 degrees
            var turned = new Window(_window.KernelH, _window.KernelW, 1, _window.KernelH - 1 - _window.PadH, _window.KernelW - 1 - _window.PadW,
                _window.OutH, _window.OutW, _window.InH, _window.InW);
            Direct(turned, _cout, dz, "rows_gradient", PackWeights(WeightLayout.Turned), _cin, dx, null, beta, Activation.Linear);
            return true;
        }
        int perPhase = ((_window.InW + _window.Stride - 1) / _window.Stride + 7) / 8;   // blocks of 8 pixels of one phase of a row
        _r.Device.Launch(Geometry("conv_input_gradient", _window, _cin)
            .Set(11, dz).Set(12, PackWeights(WeightLayout.Transposed)).Set(13, _cout).Set(14, beta).Set(15, dx).Set(16, Zeros),
            _n * _window.InH * _window.Stride * perPhase, (_cin + 15) / 16, 1, 1);
        return true;
    }

    /// <summary>The layouts of pack_conv_weights (kernels/convolution.cl).</summary>
    private enum WeightLayout { Forward = 0, Turned = 1, Transposed = 2 }

    /// <summary>The weights in panels of 16 channels: for the forward product, or for the input gradient (turned for stride 1).</summary>
    private DeviceBuffer PackWeights(WeightLayout layout)
    {
        bool forward = layout == WeightLayout.Forward;
        int panels = ((forward ? _cout : _cin) + 15) / 16, depth = _window.KernelH * _window.KernelW * (forward ? _cin : _cout);
        var packed = _r.Workspace(_node, layout switch { WeightLayout.Forward => "weights", WeightLayout.Turned => "weights_turned", _ => "weights_transposed" },
            panels * 16 * depth);
        _r.Device.Launch(_r.Kernel("pack_conv_weights").Set(0, _cout).Set(1, _window.KernelH).Set(2, _window.KernelW).Set(3, _cin)
            .Set(4, _r[_node.Inputs[1]]).Set(5, (int)layout).Set(6, packed), panels, depth, 1, 64);
        return packed;
    }

    /// <summary>A row of zeros as long as the longest pixel the in-place kernels read (they point padding taps at it).</summary>
    private DeviceBuffer Zeros => _r.Workspace(_node, "zeros", Math.Max(_cin, _cout));   // allocated zeroed, never written

    /// <summary>
    /// y = act(conv(x) + bias) + beta·y over a window, <paramref name="outputs"/> channels from packed weights
    /// (a narrow last panel through conv_rows4, its copy of x in the workspace <paramref name="rows"/>).
    /// </summary>
    private void Direct(Window window, int channels, DeviceBuffer x, string rows, DeviceBuffer weights, int outputs, DeviceBuffer y,
        DeviceBuffer? bias, float beta, Activation activation)
    {
        int panels = Panels(window, outputs);
        _r.Device.Launch(Geometry("conv_direct", window, channels)
            .Set(11, x).Set(12, weights).Set(13, outputs).Set(14, y)
            .Set(15, bias).Set(16, (int)(bias is null ? BiasMode.None : BiasMode.PerColumn)).Set(17, beta).Set(18, (int)activation).Set(19, Zeros),
            (_n * window.OutH * window.OutW + 7) / 8, panels, 1, 1);
        if (panels * 16 < outputs) LastPanel(window, channels, x, rows, weights, outputs, y, bias, beta, activation, panels * 16);
    }

    /// <summary>
    /// The output channels from <paramref name="first"/> (4 or fewer, stride 1) by conv_rows4, on a transposed copy of x
    /// in the workspace <paramref name="purpose"/> (pad_rows).
    /// </summary>
    private void LastPanel(Window window, int channels, DeviceBuffer x, string purpose, DeviceBuffer weights, int outputs, DeviceBuffer y,
        DeviceBuffer? bias, float beta, Activation activation, int first)
    {
        int hp = window.OutH + window.KernelH - 1, segments = (window.OutW + 15) / 16, wt = segments * 16 + window.KernelW - 1;
        var xt = _r.Workspace(_node, purpose, _n * hp * channels * wt);
        _r.Device.Launch1D(_r.Kernel("pad_rows").Set(0, _n).Set(1, window.InH).Set(2, window.InW).Set(3, channels)
            .Set(4, window.PadH).Set(5, window.PadW).Set(6, hp).Set(7, wt).Set(8, x).Set(9, xt), _n * hp);
        _r.Device.Launch(_r.Kernel("conv_rows4")
            .Set(0, _n).Set(1, hp).Set(2, wt).Set(3, channels).Set(4, window.OutH).Set(5, window.OutW).Set(6, window.KernelH).Set(7, window.KernelW)
            .Set(8, xt).Set(9, weights).Set(10, outputs).Set(11, y).Set(12, bias).Set(13, beta).Set(14, (int)activation).Set(15, first),
            _n * window.OutH * segments, 1, 1, 1);
    }
}
