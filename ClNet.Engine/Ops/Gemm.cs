namespace ClNet.Engine;

/// <summary>A matrix inside a buffer: element (r, c) is at Offset + r * RowStride + c * ColumnStride.</summary>
public readonly record struct MatrixView(DeviceBuffer Buffer, int RowStride, int ColumnStride, int Offset = 0)
{
    /// <summary>A row-major matrix with <paramref name="columns"/> columns.</summary>
    public static MatrixView RowMajor(DeviceBuffer buffer, int columns) => new(buffer, columns, 1);

    /// <summary>The transpose of a row-major matrix with <paramref name="columns"/> columns, without a copy.</summary>
    public static MatrixView Transposed(DeviceBuffer buffer, int columns) => new(buffer, 1, columns);

    public MatrixView T => new(Buffer, ColumnStride, RowStride, Offset);
}

public enum BiasMode
{
    None = 0,
    PerColumn = 1,
    PerRow = 2,
}

/// <summary>
/// Enqueues C = act(alpha · A·B + bias) + beta · C for strided operands. It picks the kernel whose
/// memory access fits the strides, and may compute the transposed product Cᵀ = Bᵀ·Aᵀ instead,
/// so that the longest contiguous dimension is the one processed in float16 vectors.
/// </summary>
public static class Gemm
{
    internal enum Plan { Columns, Dot, Naive }

    /// <summary>Longest inner dimension one column-kernel launch takes; longer products are summed chunk by chunk.</summary>
    private const int KChunk = 512;

    public static void Enqueue(DeviceContext device, int m, int n, int k, MatrixView a, MatrixView b, MatrixView c,
        DeviceBuffer? bias = null, BiasMode biasMode = BiasMode.None, float alpha = 1f, float beta = 0f, Activation activation = Activation.Linear)
    {
        var plan = Choose(m, n, k, a, b, c, out bool transpose);
        if (plan == Plan.Columns && k > 2 * KChunk && activation == Activation.Linear && biasMode == BiasMode.None)
        {
            // A long inner dimension (a weight gradient summed over a whole batch of rows): each launch
            // streams a slice of B that stays in cache, and later slices add to C (the same order every run).
            for (int k0 = 0; k0 < k; k0 += KChunk)
            {
                int kk = Math.Min(KChunk, k - k0);
                Enqueue(device, m, n, kk, a with { Offset = a.Offset + k0 * a.ColumnStride }, b with { Offset = b.Offset + k0 * b.RowStride }, c,
                    alpha: alpha, beta: k0 == 0 ? beta : 1f);
            }
            return;
        }
        if (transpose)
        {
            (m, n) = (n, m);
            (a, b) = (b.T, a.T);
            c = c.T;
            biasMode = biasMode switch { BiasMode.PerColumn => BiasMode.PerRow, BiasMode.PerRow => BiasMode.PerColumn, _ => BiasMode.None };
        }
        var kernels = device.Kernels;
        switch (plan)
        {
            case Plan.Columns:
                device.Launch(kernels["gemm_cols"]
                    .Set(0, m).Set(1, n).Set(2, k)
                    .Set(3, a.Buffer).Set(4, a.RowStride).Set(5, a.ColumnStride)
                    .Set(6, b.Buffer).Set(7, b.RowStride)
                    .Set(8, c.Buffer).Set(9, c.RowStride)
                    .Set(10, bias).Set(11, (int)biasMode)
                    .Set(12, alpha).Set(13, beta).Set(14, (int)activation)
                    .Set(15, a.Offset).Set(16, b.Offset).Set(17, c.Offset),
                    Ceil(n, 32), Ceil(m, 8), 1, 1);
                break;
            case Plan.Dot:
                device.Launch(kernels["gemm_dot"]
                    .Set(0, m).Set(1, n).Set(2, k)
                    .Set(3, a.Buffer).Set(4, a.RowStride)
                    .Set(5, b.Buffer).Set(6, b.ColumnStride)
                    .Set(7, c.Buffer).Set(8, c.RowStride).Set(9, c.ColumnStride)
                    .Set(10, bias).Set(11, (int)biasMode)
                    .Set(12, alpha).Set(13, beta).Set(14, (int)activation)
                    .Set(15, a.Offset).Set(16, b.Offset).Set(17, c.Offset),
                    Ceil(n, 4), m, 1, 1);
                break;
            default:
                device.Launch(kernels["gemm_naive"]
                    .Set(0, m).Set(1, n).Set(2, k)
                    .Set(3, a.Buffer).Set(4, a.RowStride).Set(5, a.ColumnStride)
                    .Set(6, b.Buffer).Set(7, b.RowStride).Set(8, b.ColumnStride)
                    .Set(9, c.Buffer).Set(10, c.RowStride).Set(11, c.ColumnStride)
                    .Set(12, bias).Set(13, (int)biasMode)
                    .Set(14, alpha).Set(15, beta).Set(16, (int)activation)
                    .Set(17, a.Offset).Set(18, b.Offset).Set(19, c.Offset),
                    n, m, 8, 1);
                break;
        }
    }

    /// <summary>
    /// The column kernel needs B and C contiguous along j; the dot kernel needs A and B contiguous
    /// along p. A dimension of extent 1 is contiguous whatever its stride.
    /// </summary>
    internal static Plan Choose(int m, int n, int k, MatrixView a, MatrixView b, MatrixView c, out bool transpose)
    {
        bool ColumnsFit(int nn, MatrixView bb, MatrixView cc) => (bb.ColumnStride == 1 || nn == 1) && (cc.ColumnStride == 1 || nn == 1);
        bool DotFits(int kk, MatrixView aa, MatrixView bb) => (aa.ColumnStride == 1 || kk == 1) && (bb.RowStride == 1 || kk == 1);

        bool direct = ColumnsFit(n, b, c), flipped = ColumnsFit(m, a.T, c.T);
        // a float16 vector is worth it once the vectorised dimension is at least 8 wide
        if (direct && n >= 8 && (!flipped || n >= m)) { transpose = false; return Plan.Columns; }
        if (flipped && m >= 8) { transpose = true; return Plan.Columns; }
        if (k >= 16 && DotFits(k, a, b)) { transpose = false; return Plan.Dot; }
        if (k >= 16 && DotFits(k, b.T, a.T)) { transpose = true; return Plan.Dot; }
        if (direct) { transpose = false; return Plan.Columns; }
        if (flipped) { transpose = true; return Plan.Columns; }
        transpose = false;
        return DotFits(k, a, b) ? Plan.Dot : Plan.Naive;
    }

    /// <summary>
    /// Copies a row-major [rows, columns] matrix transposed into <paramref name="destination"/>, so that a
    /// product with the transpose can stream it along rows (the column kernel) instead of taking dot
    /// products (the weights of a layer are small next to the activations they multiply).
    /// </summary>
    public static MatrixView Transpose(DeviceContext device, DeviceBuffer source, int rows, int columns, DeviceBuffer destination)
    {
        device.Launch(device.Kernels["transpose"].Set(0, rows).Set(1, columns).Set(2, source).Set(3, destination), columns, rows, 16, 1);
        return MatrixView.RowMajor(destination, rows);
    }

    private static int Ceil(int x, int d) => (x + d - 1) / d;
}
