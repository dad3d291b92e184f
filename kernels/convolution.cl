// Convolution on NHWC tensors as im2col + matrix product (Ops/Convolution.cs). A row of the
// column matrix holds one output pixel's receptive field in (kh, kw, c) order, matching the
// weight layout [out_channels, kh, kw, in_channels]; zero padding becomes zeros in the rows.

// cols[(n,oh,ow), (kh,kw,c)] = x[n, oh*stride - pad_h + kh, ow*stride - pad_w + kw, c], or 0 outside.
// One work-item writes one row (one output pixel's receptive field), in runs of C contiguous channels.
__kernel void im2col(const int N, const int H, const int W, const int C,
                     const int OH, const int OW, const int KH, const int KW,
                     const int stride, const int pad_h, const int pad_w,
                     __global const float* x, __global float* cols)
{
    const int row = get_global_id(0);        // (n * OH + oh) * OW + ow
    if (row >= N * OH * OW) return;
    const int ow = row % OW, oh = (row / OW) % OH, n = row / (OW * OH);
    __global float* dst = cols + (size_t)row * (KH * KW * C);
    for (int kh = 0; kh < KH; kh++) {
        const int h = oh * stride - pad_h + kh;
        for (int kw = 0; kw < KW; kw++, dst += C) {
            const int w = ow * stride - pad_w + kw;
            if (h < 0 || h >= H || w < 0 || w >= W) zero_floats(dst, C);
            else copy_floats(dst, x + (((size_t)n * H + h) * W + w) * C, C);
        }
    }
}

// The adjoint of im2col, as a gather (no atomics, the same sum on every run):
// dx[n,h,w,:] = sum over the (kh,kw) whose output pixel covers (h,w) of dcols[(n,oh,ow),(kh,kw,:)] (+ beta*dx).
// A work-item owns one input pixel; 16 channels at a time are summed in a float16 register.
__kernel void col2im(const int N, const int H, const int W, const int C,
                     const int OH, const int OW, const int KH, const int KW,
                     const int stride, const int pad_h, const int pad_w,
                     __global const float* dcols, const float beta, __global float* dx)
{
    const int pixel = get_global_id(0);      // (n * H + h) * W + w
    if (pixel >= N * H * W) return;
    const int w = pixel % W, h = (pixel / W) % H, n = pixel / (W * H);
    const int K = KH * KW * C;
    __global float* out = dx + (size_t)pixel * C;
    for (int c0 = 0; c0 < C; c0 += 16) {
        float16 acc = (float16)(0.0f);
        for (int kh = 0; kh < KH; kh++) {
            int oh = h + pad_h - kh;
            if (stride > 1) {   // integer division is slow: only strided convolutions pay for it
                if (oh < 0 || oh % stride != 0) continue;
                oh /= stride;
            }
            if (oh < 0 || oh >= OH) continue;
            for (int kw = 0; kw < KW; kw++) {
                int ow = w + pad_w - kw;
                if (stride > 1) {
                    if (ow < 0 || ow % stride != 0) continue;
                    ow /= stride;
                }
                if (ow < 0 || ow >= OW) continue;
                // lanes past C read the next tap's values (or the buffer's padding); they are never stored
                acc += vload16(0, dcols + (((size_t)n * OH + oh) * OW + ow) * K + (kh * KW + kw) * C + c0);
            }
        }
        const int count = min(16, C - c0);
        if (count == 16) {
            if (beta != 0.0f) acc += beta * vload16(0, out + c0);
            vstore16(acc, 0, out + c0);
        } else {
            store_partial16(out + c0, acc, count, beta);
        }
    }
}
