using ClNet.Engine;

/// <summary>Float64 CPU references for the ops, written as plainly as possible.</summary>
public static class Reference
{
    public static double Activate(double x, Activation a) => a switch
    {
        Activation.Sigmoid => 1 / (1 + Math.Exp(-x)),
        Activation.Tanh => Math.Tanh(x),
        Activation.Relu => Math.Max(x, 0),
        Activation.SoftRelu => Math.Log(1 + Math.Exp(x)),
        _ => x,
    };

    /// <summary>C[m,n] = A[m,k]·B[k,n], all row-major.</summary>
    public static double[] MatMul(float[] a, float[] b, int m, int n, int k)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)a[i * k + p] * b[p * n + j];
                c[i * n + j] = s;
            }
        return c;
    }

    public static double[] Dense(float[] x, float[] w, float[]? b, int m, int n, int k, Activation act)
    {
        var y = MatMul(x, w, m, n, k);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                y[i * n + j] = Activate(y[i * n + j] + (b?[j] ?? 0), act);
        return y;
    }

    public static double MeanSquaredError(float[] p, float[] t)
    {
        double s = 0;
        for (int i = 0; i < p.Length; i++) s += ((double)p[i] - t[i]) * ((double)p[i] - t[i]);
        return s / p.Length;
    }

    public static double SoftmaxNll(float[] x, float[] labels, int m, int c)
    {
        double total = 0;
        for (int i = 0; i < m; i++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < c; j++) max = Math.Max(max, x[i * c + j]);
            double s = 0;
            for (int j = 0; j < c; j++) s += Math.Exp(x[i * c + j] - max);
            total += max + Math.Log(s) - x[i * c + (int)labels[i]];
        }
        return total / m;
    }

    public static float[] Random(int n, Random r, double low = -1, double high = 1) =>
        Enumerable.Range(0, n).Select(_ => (float)(low + (high - low) * r.NextDouble())).ToArray();

    /// <summary>Largest |a-b| / (atol + rtol·|b|); at most 1 means every element is within tolerance.</summary>
    public static double WorstError(IReadOnlyList<float> actual, IReadOnlyList<double> expected, double atol, double rtol)
    {
        double worst = 0;
        for (int i = 0; i < expected.Count; i++)
            worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / (atol + rtol * Math.Abs(expected[i])));
        return worst;
    }
}
