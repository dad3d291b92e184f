// Loss functions. Each forward writes the mean loss of the batch to loss[0]; each backward writes
// (or, with beta = 1, adds) the gradient of that mean with respect to the prediction.

// Mean squared error, clnet's linear_regression: loss = 1/n * sum (p - t)^2, over count[0] = n values. One work-item.
__kernel void mse_forward(const int n, __global const float* p, __global const float* t, __global float* loss, __global float* count)
{
    float s = 0.0f;
    for (int i = 0; i < n; i++) { const float d = p[i] - t[i]; s = fma(d, d, s); }
    loss[0] = s / n;
    count[0] = n;
}

__kernel void mse_backward(const int n, __global const float* p, __global const float* t, const float beta, __global float* g)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float d = 2.0f * (p[i] - t[i]) / n;
    g[i] = beta != 0.0f ? d + beta * g[i] : d;
}

// The largest value of a row of C and the sum of exp(value - largest), 16 classes at a time: a
// char model's rows are ~80 classes, where one exp per class and work-item was most of the loss's time.
float2 row_max_and_exp_sum(const __global float* r, const int C)
{
    float16 m16 = (float16)(-INFINITY);
    int c = 0;
    for (; c + 16 <= C; c += 16) m16 = fmax(m16, vload16(0, r + c));
    const float8 m8 = fmax(m16.lo, m16.hi);
    const float4 m4 = fmax(m8.lo, m8.hi);
    float m = fmax(fmax(m4.x, m4.y), fmax(m4.z, m4.w));
    for (int t = c; t < C; t++) m = fmax(m, r[t]);
    float16 s16 = (float16)(0.0f);
    for (c = 0; c + 16 <= C; c += 16) s16 += exp(vload16(0, r + c) - m);
    float s = sum16(s16);
    for (; c < C; c++) s += exp(r[c] - m);
    return (float2)(m, s);
}

// Softmax over each row of x[M, C] and the negative log-likelihood of the labelled class
// (labels hold class indexes as floats). row_loss[i] = logsumexp(x_i) - x_i[label_i]. Only the
// first M rows count (a short last batch), and rows labelled -1 (past the end of a sequence) do not.
__kernel void softmax_nll_rows(const int M, const int C, __global const float* x, __global const float* labels, __global float* row_loss, __global float* row_valid)
{
    const int i = get_global_id(0);
    if (i >= M) return;
    const int label = (int)labels[i];
    if (label < 0) { row_loss[i] = 0.0f; row_valid[i] = 0.0f; return; }
    const __global float* r = x + (size_t)i * C;
    const float2 ms = row_max_and_exp_sum(r, C);
    row_loss[i] = ms.x + log(ms.y) - r[label];
    row_valid[i] = 1.0f;
}

// loss[0] = mean of the valid rows' losses; count[0] = how many rows were valid. One work-item.
__kernel void mean_of_valid(const int n, __global const float* row_loss, __global const float* row_valid, __global float* loss, __global float* count)
{
    float s = 0.0f, k = 0.0f;
    for (int i = 0; i < n; i++) { s += row_loss[i]; k += row_valid[i]; }
    loss[0] = k > 0.0f ? s / k : 0.0f;
    count[0] = k;
}

// loss[0] = scale * sum of n values. One work-item.
__kernel void sum_scaled(const int n, const float scale, __global const float* values, __global float* loss)
{
    float s = 0.0f;
    for (int i = 0; i < n; i++) s += values[i];
    loss[0] = s * scale;
}

// g = (softmax(x) - onehot(label)) / count for the valid rows among the first M, 0 for the others.
__kernel void softmax_nll_backward(const int M, const int rows, const int C, __global const float* x, __global const float* labels,
                                   __global const float* count, const float beta, __global float* g)
{
    const int i = get_global_id(0);
    if (i >= rows) return;
    const int label = i < M ? (int)labels[i] : -1;
    __global float* gr = g + (size_t)i * C;
    if (label < 0) {
        for (int c = 0; c < C; c++) gr[c] = beta != 0.0f ? beta * gr[c] : 0.0f;
        return;
    }
    const __global float* r = x + (size_t)i * C;
    const float2 ms = row_max_and_exp_sum(r, C);
    const float inv = 1.0f / ms.y, scale = 1.0f / count[0];
    // softmax * scale (+ beta * g), 16 classes at a time; then the labelled class's -scale
    for (int c = 0; c < C; c += 16)
        store16(gr + c, exp(vload16(0, r + c) - ms.x) * (inv * scale), min(16, C - c), beta);   // lanes past C: never stored
    gr[label] -= scale;
}

// row_correct[i] = 1 when the largest of x_i is at the labelled class (the first largest on a tie).
__kernel void argmax_correct(const int M, const int C, __global const float* x, __global const float* labels, __global float* row_correct)
{
    const int i = get_global_id(0);
    if (i >= M) return;
    const __global float* r = x + i * C;
    int best = 0;
    for (int c = 1; c < C; c++) if (r[c] > r[best]) best = c;
    row_correct[i] = best == (int)labels[i] ? 1.0f : 0.0f;   // a label of -1 never counts
}

// total[index] += scale * value[0]: running sums that the trainer reads once per report, not once per step.
__kernel void accumulate_scalar(__global const float* value, __global float* total, const int index, const float scale)
{
    total[index] += scale * value[0];
}

// total[index] += value[0] * weight[0] and total[index + 1] += weight[0]: a loss and the rows it averaged,
// so that means over several steps, devices and ranks weigh every row alike.
__kernel void accumulate_weighted(__global const float* value, __global const float* weight, __global float* total, const int index)
{
    total[index] += value[0] * weight[0];
    total[index + 1] += weight[0];
}
