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

/// <summary>
/// B copied into column panels [N/Width][K][Width] (kernels/packed.cl), ready for the packed product:
/// panels of 32 columns, or of 16 for narrow matrices (16 columns or fewer).
/// </summary>
public readonly record struct PackedMatrix(DeviceBuffer Buffer, int Rows, int Columns)
{
    public int Width => PanelWidth(Columns);

    public static int PanelWidth(int columns) => columns <= 16 ? 16 : 32;
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
    internal enum Plan { Packed, Columns, Dot, Naive }

    /// <summary>Longest inner dimension one column-kernel launch takes; longer products are summed chunk by chunk.</summary>
    private const int KChunk = 512;

    public static void Enqueue(DeviceContext device, int m, int n, int k, MatrixView a, MatrixView b, MatrixView c,
        DeviceBuffer? bias = null, BiasMode biasMode = BiasMode.None, float alpha = 1f, float beta = 0f, Activation activation = Activation.Linear)
    {
        if (device.GemmVariant == GemmVariant.Tiles)
        {
            EnqueueTiled(device, m, n, k, a, b, bPanel: 0, c, bias, biasMode, alpha, beta, activation);
            return;
        }
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
            case Plan.Packed:
                Enqueue(device, m, a, Pack(device, b, k, n, device.Scratch("gemm_b", PackedLength(k, n))), c, bias, biasMode, alpha, beta, activation);
                break;
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

    /// <summary>Floats of the panels of a [k, n] matrix: n rounded up to whole panels (of <paramref name="width"/> columns, or the product's choice).</summary>
    public static int PackedLength(int k, int n, int? width = null)
    {
        int w = width ?? PackedMatrix.PanelWidth(n);
        return Ceil(n, w) * w * k;
    }

    /// <summary>Rows of a panel per work-item of pack_b on a CPU (DeviceContext.LaunchRowShares).</summary>
    private const int PackRows = 16;

    /// <summary>
    /// Copies B [k, n] (any strides, so a transposed view packs too) into column panels, of the
    /// product's width or of <paramref name="width"/> (16 or 32) for a kernel of one's own.
    /// </summary>
    public static PackedMatrix Pack(DeviceContext device, MatrixView b, int k, int n, DeviceBuffer destination, int? width = null)
    {
        width ??= PackedMatrix.PanelWidth(n);
        device.LaunchRowShares(device.Kernels["pack_b"].Set(0, k).Set(1, n).Set(2, b.Buffer).Set(3, b.RowStride).Set(4, b.ColumnStride).Set(5, b.Offset)
            .Set(6, destination).Set(7, width.Value), Ceil(n, width.Value), k, PackRows);
        return new PackedMatrix(destination, k, n);
    }

    /// <summary>
    /// destination [n, m] = sourceᵀ for a contiguous source [m, n]; and the sums of the source's columns
    /// (+ beta · sums) when <paramref name="columnSums"/> is given.
    /// </summary>
    public static void Transpose(DeviceContext device, DeviceBuffer source, int m, int n, DeviceBuffer destination,
        DeviceBuffer? columnSums = null, float beta = 0f) =>
        device.Launch(device.Kernels["transpose16"].Set(0, m).Set(1, n).Set(2, source).Set(3, destination).Set(4, columnSums).Set(5, beta),
            Ceil(n, 16), 1, 1, 1);

    /// <summary>
    /// C = act(alpha · A·B + bias) + beta · C with B already packed (weights packed once and used for
    /// every time step, for example). A and C are read and written in place through their strides;
    /// C contiguous along its rows stores whole vectors, any other C scatters its stores.
    /// </summary>
    public static void Enqueue(DeviceContext device, int m, MatrixView a, PackedMatrix b, MatrixView c,
        DeviceBuffer? bias = null, BiasMode biasMode = BiasMode.None, float alpha = 1f, float beta = 0f, Activation activation = Activation.Linear)
    {
        if (device.GemmVariant == GemmVariant.Tiles)
        {
            EnqueueTiled(device, m, b.Columns, b.Rows, a, new MatrixView(b.Buffer, 0, 0), b.Width, c, bias, biasMode, alpha, beta, activation);
            return;
        }
        // Work-groups of 4 panels of one row block (run in a row on one CPU thread) read that block of
        // A once for the 4 while their panels (K x 32 floats each, up to 512 KB for the 4) stay in L2:
        // 5-8 % faster at K <= 1024; with longer panels one at a time keeps the panel cached instead.
        int panels = Ceil(b.Columns, b.Width), group = b.Rows <= 1024 ? Math.Min(4, panels) : 1;
        // the kernel that addresses A most simply: rows contiguous, columns contiguous, or any strides
        string kernel = b.Width == 16 ? "gemm_packed_b16"
            : a.ColumnStride == 1 ? "gemm_packed_b_rows"
            : a.RowStride == 1 ? "gemm_packed_b_columns"
            : "gemm_packed_b";
        device.Launch(device.Kernels[kernel]
            .Set(0, m).Set(1, b.Columns).Set(2, b.Rows)
            .Set(3, a.Buffer).Set(4, a.RowStride).Set(5, a.ColumnStride).Set(6, a.Offset)
            .Set(7, b.Buffer)
            .Set(8, c.Buffer).Set(9, c.RowStride).Set(10, b.Columns == 1 ? 1 : c.ColumnStride).Set(11, c.Offset)
            .Set(12, bias).Set(13, (int)biasMode)
            .Set(14, alpha).Set(15, beta).Set(16, (int)activation),
            Ceil(m, 8), panels, 1, group);
    }

    /// <summary>
    /// The GPU product (kernels/tiled.cl): one work-group of 16x16 per 64x64 block of C, any strides;
    /// B in column panels of width <paramref name="bPanel"/> when it is not 0.
    /// </summary>
    private static void EnqueueTiled(DeviceContext device, int m, int n, int k, MatrixView a, MatrixView b, int bPanel, MatrixView c,
        DeviceBuffer? bias, BiasMode biasMode, float alpha, float beta, Activation activation)
    {
        device.Launch(device.Kernels["gemm_tiled"]
            .Set(0, m).Set(1, n).Set(2, k)
            .Set(3, a.Buffer).Set(4, a.RowStride).Set(5, a.ColumnStride).Set(6, a.Offset)
            .Set(7, b.Buffer).Set(8, b.RowStride).Set(9, b.ColumnStride).Set(10, b.Offset).Set(11, bPanel)
            .Set(12, c.Buffer).Set(13, c.RowStride).Set(14, c.ColumnStride).Set(15, c.Offset)
            .Set(16, bias).Set(17, (int)biasMode)
            .Set(18, alpha).Set(19, beta).Set(20, (int)activation),
            Ceil(n, 64) * 16, Ceil(m, 64) * 16, 16, 16);
    }

    /// <summary>
    /// Large products go through the packed kernel, which packs B (k×n) per call, or Aᵀ (k×m) when it
    /// computes the transposed product. With a long inner dimension it packs the smaller of the two
    /// (a convolution's weight gradient, 16 × 144 × 65536, then packs the 16-wide dZ, not the 37.7 MB
    /// of im2col columns); with a short one it stores along C's contiguous dimension, since scattered
    /// stores would then cost more than the packing saves. Then the column kernel needs B and C
    /// contiguous along j; the dot kernel needs A and B contiguous along p. A dimension of extent 1 is
    /// contiguous whatever its stride.
    /// </summary>
    internal static Plan Choose(int m, int n, int k, MatrixView a, MatrixView b, MatrixView c, out bool transpose)
    {
        bool ColumnsFit(int nn, MatrixView bb, MatrixView cc) => (bb.ColumnStride == 1 || nn == 1) && (cc.ColumnStride == 1 || nn == 1);
        bool DotFits(int kk, MatrixView aa, MatrixView bb) => (aa.ColumnStride == 1 || kk == 1) && (bb.RowStride == 1 || kk == 1);

        // the packed kernel: enough rows, columns and depth to fill its blocks of 8 rows by 16 or 32 columns
        bool packed = m >= 8 && n >= 16 && k >= 8, packedFlipped = m >= 16 && n >= 8 && k >= 8;
        if (packed && packedFlipped && k >= 64) { transpose = m < n; return Plan.Packed; }
        if (packed && c.ColumnStride == 1) { transpose = false; return Plan.Packed; }
        if (packedFlipped && c.RowStride == 1) { transpose = true; return Plan.Packed; }
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

    private static int Ceil(int x, int d) => (x + d - 1) / d;
}
