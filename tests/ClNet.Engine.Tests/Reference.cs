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

/// <summary>Float64 references for the image ops, on NHWC arrays.</summary>
public static class ImageReference
{
    /// <summary>y[n,oh,ow,co] = f(sum over kh,kw,ci of x[n, oh*s-ph+kh, ow*s-pw+kw, ci] * w[co,kh,kw,ci] + b[co]).</summary>
    public static double[] Convolution(float[] x, int n, int h, int w, int cin, float[] weight, int cout, int kh, int kw, float[]? bias,
        int stride, int padH, int padW, int oh, int ow, Activation act)
    {
        var y = new double[n * oh * ow * cout];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int co = 0; co < cout; co++)
                    {
                        double s = bias?[co] ?? 0;
                        for (int u = 0; u < kh; u++)
                            for (int v = 0; v < kw; v++)
                            {
                                int hh = i * stride - padH + u, ww = j * stride - padW + v;
                                if (hh < 0 || hh >= h || ww < 0 || ww >= w) continue;
                                for (int ci = 0; ci < cin; ci++)
                                    s += (double)x[((b * h + hh) * w + ww) * cin + ci] * weight[((co * kh + u) * kw + v) * cin + ci];
                            }
                        y[((b * oh + i) * ow + j) * cout + co] = Reference.Activate(s, act);
                    }
        return y;
    }

    public static double[] Pool(float[] x, int n, int h, int w, int c, int k, int stride, int padH, int padW, int oh, int ow, bool max)
    {
        var y = new double[n * oh * ow * c];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int ch = 0; ch < c; ch++)
                    {
                        double best = double.NegativeInfinity, sum = 0;
                        int count = 0;
                        for (int u = 0; u < k; u++)
                            for (int v = 0; v < k; v++)
                            {
                                int hh = i * stride - padH + u, ww = j * stride - padW + v;
                                if (hh < 0 || hh >= h || ww < 0 || ww >= w) continue;
                                double value = x[((b * h + hh) * w + ww) * c + ch];
                                best = Math.Max(best, value);
                                sum += value;
                                count++;
                            }
                        y[((b * oh + i) * ow + j) * c + ch] = max ? best : sum / count;
                    }
        return y;
    }

    /// <summary>Batch normalisation over rows of x[M,C] with the given per-channel statistics.</summary>
    public static double[] BatchNorm(float[] x, int m, int c, double[] mean, double[] variance, float[] gamma, float[] beta, double epsilon)
    {
        var y = new double[m * c];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < c; j++)
                y[i * c + j] = gamma[j] * (x[i * c + j] - mean[j]) / Math.Sqrt(variance[j] + epsilon) + beta[j];
        return y;
    }

    public static (double[] Mean, double[] Variance) ColumnStatistics(float[] x, int m, int c)
    {
        var mean = new double[c];
        var variance = new double[c];
        for (int j = 0; j < c; j++)
        {
            for (int i = 0; i < m; i++) mean[j] += x[i * c + j];
            mean[j] /= m;
            for (int i = 0; i < m; i++) variance[j] += (x[i * c + j] - mean[j]) * (x[i * c + j] - mean[j]);
            variance[j] /= m;
        }
        return (mean, variance);
    }
}
