// Convolution on NHWC tensors as im2col + matrix product (Ops/Convolution.cs). A row of the
// column matrix holds one output pixel's receptive field in (kh, kw, c) order, matching the
// weight layout [out_channels, kh, kw, in_channels]; zero padding becomes zeros in the rows.

// cols[(n,oh,ow), (kh,kw,c)] = x[n, oh*stride - pad_h + kh, ow*stride - pad_w + kw, c], or 0 outside.
// One work-item copies the C channels of one (row, kh, kw).
__kernel void im2col(const int N, const int H, const int W, const int C,
                     const int OH, const int OW, const int KH, const int KW,
                     const int stride, const int pad_h, const int pad_w,
                     __global const float* x, __global float* cols)
{
    const int k = get_global_id(0);          // kh * KW + kw
    const int row = get_global_id(1);        // (n * OH + oh) * OW + ow
    if (k >= KH * KW || row >= N * OH * OW) return;
    const int kh = k / KW, kw = k % KW;
    const int ow = row % OW, oh = (row / OW) % OH, n = row / (OW * OH);
    const int h = oh * stride - pad_h + kh, w = ow * stride - pad_w + kw;
    __global float* dst = cols + (size_t)row * (KH * KW * C) + k * C;
    if (h < 0 || h >= H || w < 0 || w >= W) {
        for (int c = 0; c < C; c++) dst[c] = 0.0f;
    } else {
        const __global float* src = x + (((size_t)n * H + h) * W + w) * C;
        for (int c = 0; c < C; c++) dst[c] = src[c];
    }
}

// The adjoint of im2col, as a gather (no atomics, the same sum on every run):
// dx[n,h,w,:] = sum over the (kh,kw) whose output pixel covers (h,w) of dcols[(n,oh,ow),(kh,kw,:)] (+ beta*dx).
// A work-item owns one input pixel and adds whole channel runs, which are contiguous in both arrays.
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
    for (int c = 0; c < C; c++) out[c] = beta != 0.0f ? beta * out[c] : 0.0f;
    for (int kh = 0; kh < KH; kh++) {
        const int th = h + pad_h - kh;
        if (th < 0 || th % stride != 0 || th / stride >= OH) continue;
        const int oh = th / stride;
        for (int kw = 0; kw < KW; kw++) {
            const int tw = w + pad_w - kw;
            if (tw < 0 || tw % stride != 0 || tw / stride >= OW) continue;
            const __global float* src = dcols + (((size_t)n * OH + oh) * OW + tw / stride) * K + (kh * KW + kw) * C;
            for (int c = 0; c < C; c++) out[c] += src[c];
        }
    }
}
