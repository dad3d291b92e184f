// Batch normalisation over the rows of x[M, C] (M = N*H*W for NHWC images), per channel.
// Column sums go in two stages so that every channel's sum is spread over many work-items:
// partial sums over chunks of rows, then a reduction of the chunks (the same order on every run).

// The statistics of chunks of rows in one pass over x: sum[r * C + c] = the sum of x[i, c] over rows
// [r*chunk, (r+1)*chunk), m2[r * C + c] = the sum of squared deviations from that chunk's own mean
// (a second pass over the chunk, which is still in cache). A work-item covers 16 channels.
__kernel void bn_partial_statistics(const int M, const int C, const int chunk, __global const float* x,
                                    __global float* sum, __global float* m2)
{
    const int c0 = get_global_id(0) * 16;
    const int r = get_global_id(1);
    if (c0 >= C || r * chunk >= M) return;
    const int start = r * chunk, end = min(M, start + chunk);
    float16 s = (float16)(0.0f), q = (float16)(0.0f);
    for (int i = start; i < end; i++) s += vload16(0, x + (size_t)i * C + c0);
    const float16 m = s / (float)(end - start);
    for (int i = start; i < end; i++) { const float16 d = vload16(0, x + (size_t)i * C + c0) - m; q = fma(d, d, q); }
    const int count = min(16, C - c0);
    store16(sum + r * C + c0, s, count, 0.0f);
    store16(m2 + r * C + c0, q, count, 0.0f);
}

// The batch statistics from the chunks' (Chan's combination: the squared deviations of each chunk plus
// its size times its mean's squared distance from the batch mean): mean, rstd = 1/sqrt(var + eps); the
// moving averages move towards them (the moving variance takes the unbiased estimate).
__kernel void bn_combine_statistics(const int R, const int C, const int M, const int chunk, const float momentum, const float epsilon,
                                    __global const float* sum, __global const float* m2, __global float* mean, __global float* rstd,
                                    __global float* moving_mean, __global float* moving_var)
{
    const int c = get_global_id(0);
    if (c >= C) return;
    float total = 0.0f;
    for (int r = 0; r < R; r++) total += sum[r * C + c];
    const float mu = total / M;
    float deviations = 0.0f;
    for (int r = 0; r < R; r++) {
        const int rows = min(chunk, M - r * chunk);
        const float d = sum[r * C + c] / rows - mu;
        deviations += m2[r * C + c] + rows * d * d;
    }
    const float var = deviations / M;
    mean[c] = mu;
    rstd[c] = rsqrt(var + epsilon);
    moving_mean[c] = momentum * moving_mean[c] + (1.0f - momentum) * mu;
    moving_var[c] = momentum * moving_var[c] + (1.0f - momentum) * var * M / max(M - 1, 1);
}

// out[c] = scale * sum_r partial[r * C + c] + beta * out[c]
__kernel void bn_reduce(const int R, const int C, __global const float* partial, const float scale, const float beta, __global float* out)
{
    const int c = get_global_id(0);
    if (c >= C) return;
    float s = 0.0f;
    for (int r = 0; r < R; r++) s += partial[r * C + c];
    out[c] = beta != 0.0f ? scale * s + beta * out[c] : scale * s;
}

// Inference: normalise with the moving statistics.
__kernel void bn_moving_statistics(const int C, const float epsilon, __global const float* moving_mean, __global const float* moving_var,
                                   __global float* mean, __global float* rstd)
{
    const int c = get_global_id(0);
    if (c >= C) return;
    mean[c] = moving_mean[c];
    rstd[c] = rsqrt(moving_var[c] + epsilon);
}

// The element-wise kernels below take 16 channels of their share of the rows (SHARE_OF_ITEMS; 64 each on a CPU,
// BatchNormOp.RowsPerItem: with one row each, loading and combining the per-channel parameters took ~3/4 of the time).

// y = gamma * (x - mean) * rstd + beta (lanes past C are read from the next row or the padding and never
// stored). ReLU, a residual network's activation, is written out here and in bn_gradient: through activate16,
// PoCL compiles these work-groups ~40 % slower.
__kernel void bn_normalize(const int M, const int C, __global const float* x, __global const float* mean, __global const float* rstd,
                           __global const float* gamma, __global const float* beta, __global float* y, const int act)
{
    const int c0 = get_global_id(0) * 16;
    SHARE_OF_ITEMS(M, 1, i0, end);
    if (c0 >= C || i0 >= M) return;
    const float16 scale = vload16(0, gamma + c0) * vload16(0, rstd + c0);
    const float16 shift = fma(-scale, vload16(0, mean + c0), vload16(0, beta + c0));
    const int count = min(16, C - c0);
    for (int i = i0; i < end; i++) {
        const size_t at = (size_t)i * C + c0;
        const float16 v = fma(scale, vload16(0, x + at), shift);
        store16(y + at, act == ACT_RELU ? fmax(v, 0.0f) : activate16(v, act), count, 0.0f);
    }
}

// The gradient reaching the normalised value: dy, or dy * f'(y) with a fused activation f, where
// y = f(gamma * xhat + shift) is recomputed from x (already read) rather than read back from memory.
float16 bn_gradient(const float16 dy, const float16 xhat, const float16 gamma, const float16 shift, const int act)
{
    if (act == ACT_LINEAR) return dy;
    const float16 y = fma(gamma, xhat, shift);
    return act == ACT_RELU ? select((float16)(0.0f), dy, y > 0.0f) : dy * activation_slope16(activate16(y, act), act);
}

// Per chunk of rows: sums of dy and of dy * xhat, for the gradients of beta and gamma.
__kernel void bn_partial_backward(const int M, const int C, const int chunk, __global const float* x, __global const float* dy,
                                  __global const float* mean, __global const float* rstd,
                                  __global float* partial_dy, __global float* partial_dyxhat,
                                  __global const float* gamma, __global const float* shift, const int act)
{
    const int c0 = get_global_id(0) * 16;
    const int r = get_global_id(1);
    if (c0 >= C || r * chunk >= M) return;
    const int end = min(M, (r + 1) * chunk);
    const float16 m = vload16(0, mean + c0), s = vload16(0, rstd + c0), scale = vload16(0, gamma + c0), offset = vload16(0, shift + c0);
    float16 a = (float16)(0.0f), b = (float16)(0.0f);
    for (int i = r * chunk; i < end; i++) {
        const size_t at = (size_t)i * C + c0;
        const float16 xhat = (vload16(0, x + at) - m) * s;
        const float16 g = bn_gradient(vload16(0, dy + at), xhat, scale, offset, act);
        a += g;
        b = fma(g, xhat, b);
    }
    const int count = min(16, C - c0);
    store16(partial_dy + r * C + c0, a, count, 0.0f);
    store16(partial_dyxhat + r * C + c0, b, count, 0.0f);
}

// dx = gamma * rstd * (dy - sum(dy)/M - xhat * sum(dy*xhat)/M) (+ beta*dx)
__kernel void bn_backward_input(const int M, const int C, __global const float* x, __global const float* dy,
                                __global const float* mean, __global const float* rstd, __global const float* gamma,
                                __global const float* sum_dy, __global const float* sum_dyxhat, const float beta, __global float* dx,
                                __global const float* shift, const int act)
{
    const int c0 = get_global_id(0) * 16;
    SHARE_OF_ITEMS(M, 1, i0, end);
    if (c0 >= C || i0 >= M) return;
    const float16 s = vload16(0, rstd + c0), m = vload16(0, mean + c0), scale = vload16(0, gamma + c0), offset = vload16(0, shift + c0);
    const float16 k = scale * s, a = vload16(0, sum_dy + c0) / M, b = vload16(0, sum_dyxhat + c0) / M;
    const int count = min(16, C - c0);
    for (int i = i0; i < end; i++) {
        const size_t at = (size_t)i * C + c0;
        const float16 xhat = (vload16(0, x + at) - m) * s;
        const float16 g = bn_gradient(vload16(0, dy + at), xhat, scale, offset, act);
        store16(dx + at, k * (g - fma(xhat, b, a)), count, beta);
    }
}
