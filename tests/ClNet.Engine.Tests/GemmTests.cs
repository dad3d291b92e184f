using ClNet.Engine;
using Xunit;

[Collection("device")]
public class GemmTests
{
    private readonly DeviceContext _device;

    public GemmTests(DeviceFixture fixture) => _device = fixture.Device;

    public enum Layout { Plain, TransposedA, TransposedB, TransposedBoth, TransposedOutput }

    /// <summary>Every kernel (column, dot, naive) and both orientations, on round, odd and degenerate shapes.</summary>
    [Theory]
    [InlineData(7, 13, 5, Layout.Plain)]
    [InlineData(64, 32, 48, Layout.Plain)]
    [InlineData(9, 45, 7, Layout.Plain)]             // a full and a partial vector per row block
    [InlineData(33, 20, 25, Layout.Plain)]
    [InlineData(17, 50, 300, Layout.TransposedA)]
    [InlineData(19, 40, 2100, Layout.TransposedA)]   // a long inner dimension, summed in chunks
    [InlineData(128, 1, 300, Layout.Plain)]          // one output column: dot kernel
    [InlineData(1, 300, 128, Layout.Plain)]
    [InlineData(128, 4096, 2, Layout.Plain)]
    [InlineData(7, 13, 33, Layout.TransposedA)]
    [InlineData(7, 13, 33, Layout.TransposedB)]      // NT: dot kernel
    [InlineData(9, 17, 19, Layout.TransposedBoth)]   // no contiguous operand: naive kernel
    [InlineData(5, 3, 4, Layout.TransposedBoth)]
    [InlineData(13, 7, 21, Layout.TransposedOutput)]
    [InlineData(300, 1, 1, Layout.TransposedA)]
    [InlineData(16, 144, 300, Layout.TransposedA)]   // packs the smaller Aᵀ, scatters its stores into C (a weight gradient)
    [InlineData(40, 100, 70, Layout.Plain)]           // the same with a partial second panel of 32
    [InlineData(100, 40, 70, Layout.TransposedOutput)] // packs B, scatters into a transposed C
    [InlineData(40, 45, 37, Layout.TransposedB)]      // packs a transposed B by its columns: 16 rows per load, the last 5 partial
    [InlineData(40, 45, 100, Layout.Plain)]            // a long inner dimension: packs Aᵀ (the smaller side) by its columns
    public void MatchesTheCpuReference(int m, int n, int k, Layout layout)
    {
        var r = new Random(m * 1000 + n * 10 + k);
        var a = Reference.Random(m * k, r);
        var b = Reference.Random(k * n, r);
        var bias = Reference.Random(n, r);
        var old = Reference.Random(m * n, r);
        var expected = Reference.MatMul(a, b, m, n, k);

        bool ta = layout is Layout.TransposedA or Layout.TransposedBoth;
        bool tb = layout is Layout.TransposedB or Layout.TransposedBoth;
        bool tc = layout == Layout.TransposedOutput;
        using var da = _device.Allocate(a.Length, "a");
        using var db = _device.Allocate(b.Length, "b");
        using var dc = _device.Allocate(m * n, "c");
        using var dbias = _device.Allocate(n, "bias");
        _device.Write(da, ta ? Transpose(a, m, k) : a);
        _device.Write(db, tb ? Transpose(b, k, n) : b);
        _device.Write(dc, tc ? Transpose(old, m, n) : old);
        _device.Write(dbias, bias);

        var va = ta ? MatrixView.Transposed(da, m) : MatrixView.RowMajor(da, k);
        var vb = tb ? MatrixView.Transposed(db, k) : MatrixView.RowMajor(db, n);
        var vc = tc ? MatrixView.Transposed(dc, m) : MatrixView.RowMajor(dc, n);
        // a fused epilogue where the inner dimension is short, a plain accumulation where it is chunked
        bool fused = k <= 1024;
        Gemm.Enqueue(_device, m, n, k, va, vb, vc, fused ? dbias : null, fused ? BiasMode.PerColumn : BiasMode.None, alpha: 0.5f, beta: 2f,
            activation: fused ? Activation.Tanh : Activation.Linear);
        var actual = _device.Read(dc);
        if (tc) actual = Transpose(actual, n, m);

        var want = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                want[i * n + j] = (fused ? Math.Tanh(0.5 * expected[i * n + j] + bias[j]) : 0.5 * expected[i * n + j]) + 2.0 * old[i * n + j];
        Assert.True(Reference.WorstError(actual, want, 1e-5, 1e-4) <= 1, $"worst error {Reference.WorstError(actual, want, 1e-5, 1e-4)}");
    }

    /// <summary>
    /// A plain accumulation into a transposed C (a weight gradient computed as its transpose): whole blocks of 8 rows
    /// store a float8 per column, a partial block and a partial panel of columns take the scattered stores.
    /// </summary>
    [Theory]
    [InlineData(40, 37, 70)]
    [InlineData(37, 30, 100)]
    public void APlainProductIntoATransposedOutputMatchesTheCpuReference(int m, int n, int k)
    {
        var r = new Random(m + n + k);
        var a = Reference.Random(m * k, r);
        var b = Reference.Random(k * n, r);
        var old = Reference.Random(m * n, r);
        using var da = _device.Allocate(a.Length, "a");
        using var db = _device.Allocate(b.Length, "b");
        using var dc = _device.Allocate(m * n, "c");
        _device.Write(da, a);
        _device.Write(db, b);
        _device.Write(dc, Transpose(old, m, n));
        Gemm.Enqueue(_device, m, n, k, MatrixView.RowMajor(da, k), MatrixView.RowMajor(db, n), MatrixView.Transposed(dc, m), alpha: 0.5f, beta: 2f);
        var actual = Transpose(_device.Read(dc), n, m);
        var product = Reference.MatMul(a, b, m, n, k);
        var want = Enumerable.Range(0, m * n).Select(e => 0.5 * product[e] + 2.0 * old[e]).ToArray();
        Assert.True(Reference.WorstError(actual, want, 1e-5, 1e-4) <= 1, $"worst error {Reference.WorstError(actual, want, 1e-5, 1e-4)}");
    }

    /// <summary>
    /// A linear product with a bias per column (an LSTM's input projection, a weight gradient), overwriting C or adding
    /// to it: whole blocks of 8 rows x 32 columns take plain stores, a partial panel and a partial block the general epilogue.
    /// </summary>
    [Theory]
    [InlineData(24, 72, 40, false, 0f)]
    [InlineData(21, 64, 40, true, 0f)]     // Aᵀ read by columns; the last block of rows is partial
    [InlineData(24, 72, 40, false, 1.5f)]
    public void ALinearProductWithABiasStoresWholeBlocks(int m, int n, int k, bool transposedA, float beta)
    {
        var r = new Random(m * n + k);
        var a = Reference.Random(m * k, r);
        var b = Reference.Random(k * n, r);
        var bias = Reference.Random(n, r);
        var old = Reference.Random(m * n, r, 50, 60);   // junk when beta = 0
        using var da = _device.Allocate(a.Length, "a");
        using var db = _device.Allocate(b.Length, "b");
        using var dc = _device.Allocate(m * n, "c");
        using var dbias = _device.Allocate(n, "bias");
        _device.Write(da, transposedA ? Transpose(a, m, k) : a);
        _device.Write(db, b);
        _device.Write(dc, old);
        _device.Write(dbias, bias);
        var va = transposedA ? MatrixView.Transposed(da, m) : MatrixView.RowMajor(da, k);
        Gemm.Enqueue(_device, m, n, k, va, MatrixView.RowMajor(db, n), MatrixView.RowMajor(dc, n), dbias, BiasMode.PerColumn, alpha: 0.5f, beta: beta);
        var product = Reference.MatMul(a, b, m, n, k);
        var want = Enumerable.Range(0, m * n).Select(e => 0.5 * product[e] + bias[e % n] + beta * old[e]).ToArray();
        var worst = Reference.WorstError(_device.Read(dc), want, 1e-5, 1e-4);
        Assert.True(worst <= 1, $"worst error {worst}");
    }

    /// <summary>A with no contiguous dimension (every other float of every other row): the packed kernel's general addressing.</summary>
    [Fact]
    public void AnOperandWithoutAContiguousDimensionMatchesTheCpuReference()
    {
        int m = 20, n = 40, k = 30, rowStride = 2 * k + 3;
        var r = new Random(5);
        var a = Reference.Random(m * k, r);
        var b = Reference.Random(k * n, r);
        var spread = Reference.Random(m * rowStride, r, 50, 60);   // junk between the elements
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) spread[i * rowStride + 2 * p] = a[i * k + p];
        using var da = _device.Allocate(spread.Length, "a");
        using var db = _device.Allocate(b.Length, "b");
        using var dc = _device.Allocate(m * n, "c");
        _device.Write(da, spread);
        _device.Write(db, b);
        Gemm.Enqueue(_device, m, n, k, new MatrixView(da, rowStride, 2), MatrixView.RowMajor(db, n), MatrixView.RowMajor(dc, n));
        Assert.True(Reference.WorstError(_device.Read(dc), Reference.MatMul(a, b, m, n, k), 1e-5, 1e-4) <= 1);
    }

    /// <summary>The transpose and its column sums (an LSTM's dGᵀ and bias gradient): whole blocks, partial ones in both dimensions.</summary>
    [Theory]
    [InlineData(32, 16)]
    [InlineData(37, 21)]   // a partial block of 8 rows, a partial block of 16 columns
    [InlineData(5, 40)]
    public void TransposeAndColumnSumsMatchTheCpuReference(int m, int n)
    {
        var r = new Random(m + n);
        var source = Reference.Random(m * n, r);
        var old = Reference.Random(n, r);
        using var ds = _device.Allocate(m * n, "source");
        using var dt = _device.Allocate(m * n, "transposed");
        using var sums = _device.Allocate(n, "sums");
        _device.Write(ds, source);
        _device.Write(sums, old);
        Gemm.Transpose(_device, ds, m, n, dt, sums, beta: 0.5f);
        var transposed = _device.Read(dt);
        var columnSums = _device.Read(sums);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) Assert.Equal(source[i * n + j], transposed[j * m + i]);
        var expected = Enumerable.Range(0, n).Select(j => Enumerable.Range(0, m).Sum(i => (double)source[i * n + j]) + 0.5 * old[j]).ToArray();
        Assert.True(Reference.WorstError(columnSums, expected, 1e-5, 1e-5) <= 1, $"worst error {Reference.WorstError(columnSums, expected, 1e-5, 1e-5)}");
    }

    /// <summary>B packed once into column panels (the LSTM's recurrent weights), both panel widths, a partial panel.</summary>
    [Theory]
    [InlineData(9, 40, 13)]    // panels of 32, the second partial
    [InlineData(20, 12, 7)]    // one panel of 16
    public void PackedWeightsMatchTheCpuReference(int m, int n, int k)
    {
        var r = new Random(m + n + k);
        var a = Reference.Random(m * k, r);
        var b = Reference.Random(k * n, r);
        var bias = Reference.Random(n, r);
        var expected = Reference.MatMul(a, b, m, n, k);
        using var da = _device.Allocate(a.Length, "a");
        using var db = _device.Allocate(b.Length, "b");
        using var dpacked = _device.Allocate(Gemm.PackedLength(k, n), "packed");
        using var dc = _device.Allocate(m * n, "c");
        using var dbias = _device.Allocate(n, "bias");
        _device.Write(da, a);
        _device.Write(db, b);
        _device.Write(dbias, bias);
        var packed = Gemm.Pack(_device, MatrixView.RowMajor(db, n), k, n, dpacked);
        Gemm.Enqueue(_device, m, MatrixView.RowMajor(da, k), packed, MatrixView.RowMajor(dc, n), dbias, BiasMode.PerColumn, activation: Activation.Sigmoid);
        var actual = _device.Read(dc);
        var want = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) want[i * n + j] = 1 / (1 + Math.Exp(-(expected[i * n + j] + bias[j])));
        Assert.True(Reference.WorstError(actual, want, 1e-5, 1e-4) <= 1, $"worst error {Reference.WorstError(actual, want, 1e-5, 1e-4)}");
    }

    [Fact]
    public void ThePlannerCoversEveryKernel()
    {
        using var buffer = _device.Allocate(1, "x");
        var rowMajor = new MatrixView(buffer, 64, 1);
        var transposed = new MatrixView(buffer, 1, 64);
        var column = new MatrixView(buffer, 1, 1);
        Assert.Equal(Gemm.Plan.Packed, Gemm.Choose(64, 64, 64, rowMajor, rowMajor, rowMajor, out bool t0));
        Assert.False(t0);
        Assert.Equal(Gemm.Plan.Packed, Gemm.Choose(64, 64, 64, transposed, transposed, rowMajor, out _));   // packing gathers any strides
        Assert.Equal(Gemm.Plan.Packed, Gemm.Choose(64, 8, 64, rowMajor, rowMajor, transposed, out bool t1));
        Assert.True(t1);   // C contiguous along i: the transposed product
        Assert.Equal(Gemm.Plan.Packed, Gemm.Choose(16, 144, 65536, transposed, rowMajor, rowMajor, out bool t2));
        Assert.True(t2);   // a long inner dimension: pack the 16-wide operand, not the 144-wide one
        Assert.Equal(Gemm.Plan.Packed, Gemm.Choose(16, 144, 32, transposed, rowMajor, rowMajor, out bool t3));
        Assert.False(t3);  // a short one: store along C's rows
        Assert.Equal(Gemm.Plan.Columns, Gemm.Choose(1, 4096, 128, transposed, rowMajor, rowMajor, out _));
        Assert.Equal(Gemm.Plan.Dot, Gemm.Choose(64, 1, 64, rowMajor, column, column, out _));
        Assert.Equal(Gemm.Plan.Naive, Gemm.Choose(4, 4, 64, transposed, transposed, rowMajor, out _));
    }

    private static float[] Transpose(float[] x, int rows, int cols)
    {
        var t = new float[x.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
        return t;
    }
}
