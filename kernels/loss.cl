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
// (labels hold class indexes as floats). row_loss[i] = logsumexp(x_i) - x_i[label_i]. Only the
// first M rows count: a short last batch leaves the others unused.
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

// g = (softmax(x) - onehot(label)) / M for the first M of the batch's rows, 0 for the rest.
__kernel void softmax_nll_backward(const int M, const int rows, const int C, __global const float* x, __global const float* labels, const float beta, __global float* g)
{
    const int i = get_global_id(0);
    if (i >= rows) return;
    if (i >= M) {
        for (int c = 0; c < C; c++) g[i * C + c] = beta != 0.0f ? beta * g[i * C + c] : 0.0f;
        return;
    }
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

// row_correct[i] = 1 when the largest of x_i is at the labelled class (the first largest on a tie).
__kernel void argmax_correct(const int M, const int C, __global const float* x, __global const float* labels, __global float* row_correct)
{
    const int i = get_global_id(0);
    if (i >= M) return;
    const __global float* r = x + i * C;
    int best = 0;
    for (int c = 1; c < C; c++) if (r[c] > r[best]) best = c;
    row_correct[i] = best == (int)labels[i] ? 1.0f : 0.0f;
}

// total[index] += scale * value[0]: running sums that the trainer reads once per report, not once per step.
__kernel void accumulate_scalar(__global const float* value, __global float* total, const int index, const float scale)
{
    total[index] += scale * value[0];
}
