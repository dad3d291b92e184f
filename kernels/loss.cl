// Loss functions. Each forward writes the mean loss of the batch to loss[0]; each backward writes
// (or, with beta = 1, adds) the gradient of that mean with respect to the prediction.

// Mean squared error, clnet's linear_regression: loss = 1/n * sum (p - t)^2. One work-item: n is a batch.
__kernel void mse_forward(const int n, __global const float* p, __global const float* t, __global float* loss)
{
    float s = 0.0f;
    for (int i = 0; i < n; i++) { const float d = p[i] - t[i]; s = fma(d, d, s); }
    loss[0] = s / n;
}

__kernel void mse_backward(const int n, __global const float* p, __global const float* t, const float beta, __global float* g)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float d = 2.0f * (p[i] - t[i]) / n;
    g[i] = beta != 0.0f ? d + beta * g[i] : d;
}

// Softmax over each row of x[M, C] and the negative log-likelihood of the labelled class
// (labels hold class indexes as floats). row_loss[i] = logsumexp(x_i) - x_i[label_i].
__kernel void softmax_nll_rows(const int M, const int C, __global const float* x, __global const float* labels, __global float* row_loss)
{
    const int i = get_global_id(0);
    if (i >= M) return;
    const __global float* r = x + i * C;
    float m = r[0];
    for (int c = 1; c < C; c++) m = fmax(m, r[c]);
    float s = 0.0f;
    for (int c = 0; c < C; c++) s += exp(r[c] - m);
    const int label = (int)labels[i];
    row_loss[i] = m + log(s) - r[label];
}

// loss[0] = scale * sum of n values. One work-item.
__kernel void sum_scaled(const int n, const float scale, __global const float* values, __global float* loss)
{
    float s = 0.0f;
    for (int i = 0; i < n; i++) s += values[i];
    loss[0] = s * scale;
}

// g = (softmax(x) - onehot(label)) / M
__kernel void softmax_nll_backward(const int M, const int C, __global const float* x, __global const float* labels, const float beta, __global float* g)
{
    const int i = get_global_id(0);
    if (i >= M) return;
    const __global float* r = x + i * C;
    __global float* gr = g + i * C;
    float m = r[0];
    for (int c = 1; c < C; c++) m = fmax(m, r[c]);
    float s = 0.0f;
    for (int c = 0; c < C; c++) s += exp(r[c] - m);
    const int label = (int)labels[i];
    const float inv = 1.0f / s;
    for (int c = 0; c < C; c++) {
        const float d = (exp(r[c] - m) * inv - (c == label ? 1.0f : 0.0f)) / M;
        gr[c] = beta != 0.0f ? d + beta * gr[c] : d;
    }
}

// total[0] += value[0]: the running loss that the trainer reads once per report, not once per step.
__kernel void accumulate_scalar(__global const float* value, __global float* total)
{
    total[0] += value[0];
}
