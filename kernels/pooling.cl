// Max and average pooling on NHWC tensors. Windows that reach into the padding use only their
// valid elements (the average divides by their count). Backward passes are gathers: every input
// element sums what the windows covering it send back, so no atomics are needed.

#define POOL_ARGS const int N, const int H, const int W, const int C, const int OH, const int OW, \
                  const int KH, const int KW, const int stride, const int pad_h, const int pad_w

// The window [h0, h1) x [w0, w1) of output pixel (oh, ow), clipped to the input.
#define POOL_WINDOW(oh, ow) \
    const int h0 = max((oh) * stride - pad_h, 0), h1 = min((oh) * stride - pad_h + KH, H); \
    const int w0 = max((ow) * stride - pad_w, 0), w1 = min((ow) * stride - pad_w + KW, W)

// The output pixels whose windows cover input row h: oh in [oh0, oh1], and likewise for w.
#define POOL_COVER(h, w) \
    const int oh0 = max((h + pad_h - KH + stride) / stride, 0), oh1 = min((h + pad_h) / stride, OH - 1); \
    const int ow0 = max((w + pad_w - KW + stride) / stride, 0), ow1 = min((w + pad_w) / stride, OW - 1)

// The forward kernels take 16 channels of one output pixel per work-item (float16 compares and sums,
// one index computation for all of them); lanes past C read the next pixel (or the buffer's padding)
// and are never stored.
__kernel void max_pool_forward(POOL_ARGS, __global const float* x, __global float* y, __global int* argmax)
{
    const int c0 = get_global_id(0) * 16, i = get_global_id(1);   // i = (n * OH + oh) * OW + ow
    if (c0 >= C || i >= N * OH * OW) return;
    const int ow = i % OW, oh = i / OW % OH, n = i / (OW * OH);
    POOL_WINDOW(oh, ow);
    const int16 lane = (int16)(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    float16 best = (float16)(-INFINITY);
    int16 where = (int16)(-1);
    for (int h = h0; h < h1; h++)
        for (int w = w0; w < w1; w++) {
            const int j = ((n * H + h) * W + w) * C + c0;
            const float16 v = vload16(0, x + j);
            const int16 take = isgreater(v, best) | (where < 0);   // the first element, or a larger one
            best = select(best, v, take);
            where = select(where, (int16)(j) + lane, take);
        }
    const int count = min(16, C - c0);
    int index[16];
    vstore16(where, 0, index);
    store16(y + (size_t)i * C + c0, best, count, 0.0f);
    for (int t = 0; t < count; t++) argmax[(size_t)i * C + c0 + t] = index[t];
}

__kernel void max_pool_backward(POOL_ARGS, __global const float* dy, __global const int* argmax, const float beta, __global float* dx)
{
    const int j = get_global_id(0);          // ((n * H + h) * W + w) * C + c
    if (j >= N * H * W * C) return;
    const int c = j % C, w = (j / C) % W, h = (j / (C * W)) % H, n = j / (C * W * H);
    POOL_COVER(h, w);
    float s = 0.0f;
    for (int oh = oh0; oh <= oh1; oh++)
        for (int ow = ow0; ow <= ow1; ow++) {
            const int i = ((n * OH + oh) * OW + ow) * C + c;
            if (argmax[i] == j) s += dy[i];
        }
    dx[j] = beta != 0.0f ? s + beta * dx[j] : s;
}

__kernel void avg_pool_forward(POOL_ARGS, __global const float* x, __global float* y)
{
    const int c0 = get_global_id(0) * 16, i = get_global_id(1);
    if (c0 >= C || i >= N * OH * OW) return;
    const int ow = i % OW, oh = i / OW % OH, n = i / (OW * OH);
    POOL_WINDOW(oh, ow);
    float16 s = (float16)(0.0f);
    for (int h = h0; h < h1; h++)
        for (int w = w0; w < w1; w++) s += vload16(0, x + ((n * H + h) * W + w) * C + c0);
    s /= (float)((h1 - h0) * (w1 - w0));
    store16(y + (size_t)i * C + c0, s, min(16, C - c0), 0.0f);
}

__kernel void avg_pool_backward(POOL_ARGS, __global const float* dy, const float beta, __global float* dx)
{
    const int j = get_global_id(0);
    if (j >= N * H * W * C) return;
    const int c = j % C, w = (j / C) % W, h = (j / (C * W)) % H, n = j / (C * W * H);
    POOL_COVER(h, w);
    float s = 0.0f;
    for (int oh = oh0; oh <= oh1; oh++)
        for (int ow = ow0; ow <= ow1; ow++) {
            POOL_WINDOW(oh, ow);
            s += dy[((n * OH + oh) * OW + ow) * C + c] / ((h1 - h0) * (w1 - w0));
        }
    dx[j] = beta != 0.0f ? s + beta * dx[j] : s;
}

// Max pooling with windows that do not overlap (stride >= size): each output sends its gradient
// to the one input it came from. The other inputs get nothing, so dx is cleared first unless it accumulates.
__kernel void max_pool_backward_scatter(const int n, __global const float* dy, __global const int* argmax, __global float* dx)
{
    const int i = get_global_id(0);
    if (i < n) dx[argmax[i]] += dy[i];
}

// Global average pooling (the window is the whole image of HW pixels): y[n, c] = mean of x[n, :, :, c].
// A work-item sums 16 channels of one image; lanes past C read the next pixel (or the buffer's padding) and are never stored.
__kernel void global_avg_pool_forward(const int N, const int HW, const int C, __global const float* x, __global float* y)
{
    const int c0 = get_global_id(0) * 16, n = get_global_id(1);
    if (c0 >= C || n >= N) return;
    const __global float* p = x + (size_t)n * HW * C + c0;
    float16 s = (float16)(0.0f);
    for (int i = 0; i < HW; i++, p += C) s += vload16(0, p);
    s /= (float)HW;
    store16(y + (size_t)n * C + c0, s, min(16, C - c0), 0.0f);
}

// dx[n, h, w, c] = dy[n, c] / HW (+ beta * dx): 16 channels of one pixel per work-item.
__kernel void global_avg_pool_backward(const int N, const int HW, const int C, __global const float* dy, const float beta, __global float* dx)
{
    const int c0 = get_global_id(0) * 16, pixel = get_global_id(1);
    if (c0 >= C || pixel >= N * HW) return;
    store16(dx + (size_t)pixel * C + c0, vload16(0, dy + (size_t)(pixel / HW) * C + c0) / (float)HW, min(16, C - c0), beta);
}
