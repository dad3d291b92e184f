namespace ClNet.Engine;

public enum PoolingKind
{
    Max,
    Average,
}

/// <summary>
/// clnet's Pooling on NHWC tensors: max or average over a window with a stride and padding
/// (padded positions do not count). Max pooling remembers where each maximum came from.
/// </summary>
public sealed class PoolingOp : Op
{
    public PoolingKind Kind { get; }
    public Window Window { get; }

    public PoolingOp(PoolingKind kind, Window window)
    {
        Kind = kind;
        Window = window;
    }

    public override string TypeName => "Pooling";

    /// <summary>
    /// An average over the whole image (global average pooling) has kernels of its own: the general
    /// gather pays several integer divisions per input element (2 ms for WRN's 64x8x8x64), these one.
    /// </summary>
    private bool IsGlobalAverage => Kind == PoolingKind.Average && Window.OutH == 1 && Window.OutW == 1
        && Window.KernelH == Window.InH && Window.KernelW == Window.InW && Window.PadH == 0 && Window.PadW == 0;

    public override void Forward(Replica r, Node node)
    {
        var x = node.Inputs[0];
        int n = x.Shape[0], c = x.Shape[3], count = node.Output.Volume;
        if (IsGlobalAverage)
        {
            r.Device.Launch(r.Kernel("global_avg_pool_forward").Set(0, n).Set(1, Window.InH * Window.InW).Set(2, c).Set(3, r[x]).Set(4, r[node.Output]),
                (c + 15) / 16, n, 1, 1);
            return;
        }
        var kernel = Window.Apply(r.Kernel(Kind == PoolingKind.Max ? "max_pool_forward" : "avg_pool_forward"), n, c).Set(11, r[x]).Set(12, r[node.Output]);
        if (Kind == PoolingKind.Max) kernel.Set(13, r.Workspace(node, "argmax", count));
        r.Device.Launch(kernel, (c + 15) / 16, n * Window.OutH * Window.OutW, 1, 64);   // 16 channels of one output pixel per work-item
    }

    public override void Backward(Replica r, BackwardNode step)
    {
        if (step.InputGradients[0] is not { } dx) return;
        var node = step.Forward;
        var x = node.Inputs[0];
        int n = x.Shape[0], c = x.Shape[3];
        var dy = r[step.OutputGradient!];
        if (IsGlobalAverage)
        {
            int pixels = Window.InH * Window.InW;
            r.Device.Launch(r.Kernel("global_avg_pool_backward").Set(0, n).Set(1, pixels).Set(2, c).Set(3, dy).Set(4, step.Beta(0)).Set(5, r[dx]),
                (c + 15) / 16, n * pixels, 1, 64);
            return;
        }
        if (Kind == PoolingKind.Max && Window.Stride >= Math.Max(Window.KernelH, Window.KernelW))
        {
            // windows do not overlap: scatter each output's gradient to its maximum (no two write one place)
            if (!step.Accumulates[0]) r.Device.Fill(r[dx], 0f);
            int outputs = node.Output.Volume;
            r.Device.Launch1D(r.Kernel("max_pool_backward_scatter").Set(0, outputs).Set(1, dy).Set(2, r.Workspace(node, "argmax", outputs)).Set(3, r[dx]), outputs);
            return;
        }
        var kernel = Kind == PoolingKind.Max
            ? Window.Apply(r.Kernel("max_pool_backward"), n, c).Set(11, dy).Set(12, r.Workspace(node, "argmax", node.Output.Volume)).Set(13, step.Beta(0)).Set(14, r[dx])
            : Window.Apply(r.Kernel("avg_pool_backward"), n, c).Set(11, dy).Set(12, step.Beta(0)).Set(13, r[dx]);
        r.Device.Launch1D(kernel, x.Volume);
    }
}

public static class PoolingGraph
{
    /// <summary>Adds pooling over size x size windows; the stride defaults to the size. Alias: pool1=Pooling(conv1,max).</summary>
    public static Tensor Pooling(this Graph g, string name, Tensor x, PoolingKind kind, int size, int? stride = null, Padding padding = Padding.Valid)
    {
        if (x.Shape.Rank != 4)
            throw new ClNetException("ShapeMismatch", ClNetErrorKind.InvalidArgument, $"{name}: '{x.Name}'{x.Shape} must be an NHWC image batch [N,H,W,C].", x.Name);
        if (size < 1 || stride is < 1)
            throw new ClNetException("InvalidWindow", ClNetErrorKind.InvalidArgument, $"{name}: the window size and stride must be at least 1.", name);
        return Add(g, name, x, kind, Window.Of(x.Shape[1], x.Shape[2], size, size, stride ?? size, padding));
    }

    /// <summary>Average pooling over the whole image: [N,H,W,C] → [N,1,1,C].</summary>
    public static Tensor GlobalAveragePooling(this Graph g, string name, Tensor x)
    {
        if (x.Shape.Rank != 4)
            throw new ClNetException("ShapeMismatch", ClNetErrorKind.InvalidArgument, $"{name}: '{x.Name}'{x.Shape} must be an NHWC image batch [N,H,W,C].", x.Name);
        return Add(g, name, x, PoolingKind.Average, Window.Of(x.Shape[1], x.Shape[2], x.Shape[1], x.Shape[2], 1, Padding.Valid));
    }

    private static Tensor Add(Graph g, string name, Tensor x, PoolingKind kind, Window window)
    {
        if (window.OutH < 1 || window.OutW < 1)
            throw new ClNetException("ShapeMismatch", ClNetErrorKind.InvalidArgument, $"{name}: the window is larger than '{x.Name}'{x.Shape}.", x.Name);
        string alias = $"{name}=Pooling({x.Name},{(kind == PoolingKind.Max ? "max" : "average")})";
        return g.AddNode(new PoolingOp(kind, window), alias, name, new Shape(x.Shape[0], window.OutH, window.OutW, x.Shape[3]), x);
    }
}
