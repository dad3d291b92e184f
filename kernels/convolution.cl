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
        store16(out + c0, acc, min(16, C - c0), beta);
    }
}

// ---- Direct convolution (CPU devices): no column matrix ----------------------------------------
// The im2col route writes and reads a matrix KH*KW times the size of the input (37.7 MB for a 3x3
// layer of 16 channels on 64 images of 32x32); these kernels read the input in place instead.

// The weights in panels of 16 output channels for conv_direct and conv_input_gradient:
// Wp[j/16][p][j%16], p = (kh, kw, c). Three layouts:
// PACK_FORWARD: the forward product, j = output channel, Wp(p, j) = w[j, kh, kw, c].
// PACK_TURNED: the input gradient as a convolution of dY (stride 1): j = input channel, p runs over
//   (kh', kw', output channel) and the kernel is turned by 180 degrees: Wp(p, j) = w[co, KH-1-kh', KW-1-kw', j].
// PACK_TRANSPOSED: as PACK_TURNED without the turn, for conv_input_gradient: Wp(p, j) = w[co, kh, kw, j].
#define PACK_FORWARD 0
#define PACK_TURNED 1
#define PACK_TRANSPOSED 2
__kernel void pack_conv_weights(const int Cout, const int KH, const int KW, const int C,
                                __global const float* w, const int layout, __global float* Wp)
{
    const int jp = get_global_id(0), p = get_global_id(1);
    const bool transposed = layout != PACK_FORWARD, turned = layout == PACK_TURNED;
    const int outputs = transposed ? C : Cout, inputs = transposed ? Cout : C, K = KH * KW * inputs;
    if (jp * 16 >= outputs || p >= K) return;
    const int tap = p / inputs, i = p % inputs;
    const int kh = turned ? KH - 1 - tap / KW : tap / KW, kw = turned ? KW - 1 - tap % KW : tap % KW;
    __global float* dst = Wp + ((size_t)jp * K + p) * 16;
    for (int l = 0; l < 16; l++) {
        const int j = jp * 16 + l;
        const int co = transposed ? i : j, c = transposed ? j : i;
        dst[l] = j < outputs ? w[(((size_t)co * KH + kh) * KW + kw) * C + c] : 0.0f;
    }
}

// The window origins (top row, left column, image row offset n*H) of the 8 output pixels from row0 of
// an [N, OH, OW] grid; pixels past the last repeat it (never stored). Divisions for the first pixel
// only, then steps: three divisions per pixel (24 per block) cost as much as a 16-channel tap's multiply-adds.
void pixel_origins8(const int row0, const int rows, const int OH, const int OW, const int H, const int stride,
                    const int pad_h, const int pad_w, int* top, int* left, int* image)
{
    int ow = row0 % OW, oh = row0 / OW % OH, n = row0 / (OW * OH);
    for (int r = 0; r < 8; r++) {
        top[r] = oh * stride - pad_h;
        left[r] = ow * stride - pad_w;
        image[r] = n * H;
        if (row0 + r + 1 < rows && ++ow == OW) {
            ow = 0;
            if (++oh == OH) { oh = 0; n++; }
        }
    }
}

// acc[r] += a[r][q] * (the q-th row of 16 packed weights at b) for q in [0, n) and the 8 pixels r, b moving
// on one row per q: the inner loop of the direct kernels. A macro, not a function: PoCL kept a function's
// accumulators on the stack.
#define MULTIPLY_ADD_8_PIXELS(acc, a, b, n)                                                                        \
    for (int q_ = 0; q_ < (n); q_++, b += 16) {                                                                    \
        const float16 bv_ = vload16(0, b);                                                                         \
        _Pragma("unroll")                                                                                          \
        for (int r_ = 0; r_ < 8; r_++) acc[r_] = fma((float16)a[r_][q_], bv_, acc[r_]);                            \
    }

// The epilogue of the direct kernels: 8 pixels from ip * 8 x the channels of panel jp. A whole block of 16
// channels with no bias or activation takes plain vector stores (+ beta * y), the rest store_packed16 per pixel:
// a call per pixel costs as much as a 16-channel tap's multiply-adds.
#define STORE_PIXEL_BLOCK                                                                                          \
    const int j0 = jp * 16, count = min(16, J - j0);                                                               \
    if (count == 16 && bias_mode == 0 && act == ACT_LINEAR && ip * 8 + 8 <= rows) {                                \
        __global float* out = y + (size_t)ip * 8 * J + j0;                                                         \
        _Pragma("unroll")                                                                                          \
        for (int r = 0; r < 8; r++, out += J)                                                                      \
            vstore16(beta == 0.0f ? acc[r] : fma(beta, vload16(0, out), acc[r]), 0, out);                          \
        return;                                                                                                    \
    }                                                                                                              \
    for (int r = 0; r < 8; r++) {                                                                                  \
        const int row = ip * 8 + r;                                                                                \
        if (row >= rows) break;                                                                                    \
        store_packed16(y + (size_t)row * J + j0, 1, acc[r], count, bias, bias_mode, row, j0, 1.0f, beta, act);      \
    }

// y[(n,oh,ow), j] = act(sum over (kh, kw, c) of x[n, oh*stride - pad_h + kh, ow*stride - pad_w + kw, c] * Wp(p, j) + bias[j]) + beta * y.
// A work-item computes 8 consecutive output pixels x the 16 channels of panel jp: per tap it points each
// pixel's row at its input pixel (or at a row of zeros outside the image), then runs over the C channels
// with one vector of weights and 8 broadcast multiply-adds, like the packed product. A last panel of 4 or
// fewer channels (LeNet's 50 = 3 x 16 + 2) goes to conv_rows4 where it can: here most of its lanes
// would multiply zeros.
__kernel void conv_direct(const int N, const int H, const int W, const int C,
                          const int OH, const int OW, const int KH, const int KW,
                          const int stride, const int pad_h, const int pad_w,
                          __global const float* x, __global const float* Wp, const int J, __global float* y,
                          __global const float* bias, const int bias_mode, const float beta, const int act,
                          __global const float* zeros)
{
    const int ip = get_global_id(0), jp = get_global_id(1);
    const int rows = N * OH * OW;
    if (ip * 8 >= rows || jp * 16 >= J) return;
    int top[8], left[8], image[8];
    pixel_origins8(ip * 8, rows, OH, OW, H, stride, pad_h, pad_w, top, left, image);
    const __global float* b = Wp + (size_t)jp * KH * KW * C * 16;
    float16 acc[8];
    #pragma unroll
    for (int r = 0; r < 8; r++) acc[r] = (float16)(0.0f);
    for (int kh = 0; kh < KH; kh++) {
        for (int kw = 0; kw < KW; kw++) {
            const __global float* a[8];
            #pragma unroll
            for (int r = 0; r < 8; r++) {
                const int h = top[r] + kh, w = left[r] + kw;
                a[r] = h >= 0 && h < H && w >= 0 && w < W ? x + (((size_t)image[r] + h) * W + w) * C : zeros;
            }
            MULTIPLY_ADD_8_PIXELS(acc, a, b, C)
        }
    }
    STORE_PIXEL_BLOCK
}

// The input gradient of a strided convolution without a column matrix:
// dx[n, h, w, j] = sum over the taps (kh, kw) that map an output pixel onto (h, w), i.e. h + pad_h - kh
// = oh * stride (and likewise for w), of dz[n, oh, ow, :] . Wp(kh, kw, :, j) (+ beta * dx).
// A work-item takes 8 pixels of one input row that share their phase w % stride (w = phase + stride * t)
// x 16 input channels: the same taps apply to all 8, and their output pixels are consecutive.
__kernel void conv_input_gradient(const int N, const int H, const int W, const int C,
                                  const int OH, const int OW, const int KH, const int KW,
                                  const int stride, const int pad_h, const int pad_w,
                                  __global const float* dz, __global const float* Wp, const int Cout,
                                  const float beta, __global float* dx, __global const float* zeros)
{
    const int per_phase = ((W + stride - 1) / stride + 7) / 8;   // blocks of 8 pixels in one phase of a row
    int item = get_global_id(0);
    const int jp = get_global_id(1);
    if (item >= N * H * stride * per_phase || jp * 16 >= C) return;
    const int block = item % per_phase; item /= per_phase;
    const int phase = item % stride; item /= stride;
    const int h = item % H, n = item / H;
    const int t0 = block * 8;                                     // pixels w = phase + stride * (t0 + r)
    float16 acc[8];
    #pragma unroll
    for (int r = 0; r < 8; r++) acc[r] = (float16)(0.0f);
    for (int kh = 0; kh < KH; kh++) {
        const int th = h + pad_h - kh;
        if (th < 0 || th % stride != 0 || th / stride >= OH) continue;
        const int oh = th / stride;
        for (int kw = 0; kw < KW; kw++) {
            const int tw = phase + pad_w - kw;
            if ((tw % stride + stride) % stride != 0) continue;
            const int ow0 = tw / stride + t0;                     // exact: tw is a multiple of stride
            const __global float* a[8];
            #pragma unroll
            for (int r = 0; r < 8; r++) {
                const int ow = ow0 + r;
                a[r] = ow >= 0 && ow < OW ? dz + (((size_t)n * OH + oh) * OW + ow) * Cout : zeros;
            }
            const __global float* b = Wp + ((size_t)jp * KH * KW * Cout + (kh * KW + kw) * Cout) * 16;
            MULTIPLY_ADD_8_PIXELS(acc, a, b, Cout)
        }
    }
    const int j0 = jp * 16, count = min(16, C - j0);
    for (int r = 0; r < 8; r++) {
        const int w = phase + stride * (t0 + r);
        if (w >= W) break;
        store_packed16(dx + (((size_t)n * H + h) * W + w) * C + j0, 1, acc[r], count, 0, 0, 0, j0, 1.0f, beta, ACT_LINEAR);
    }
}

// The weight gradient without a column matrix, in partial sums over chunks of output rows (n, oh):
// part[chunk][p][co] = sum over the chunk's pixels of x[pixel's input for tap p, c] * dz[pixel, co].
// A work-item takes R consecutive p (one tap, R channels: C % R == 0) x 16*P output channels; for each
// output row it runs over the output columns whose input lies inside the image, so the inner loop has
// no bounds checks. The work-items of one chunk share a work-group, so the chunk's input stays in cache.
// R = 8, or 4 for channel counts such as LeNet's 20; P = 2 panels of 16 channels share each broadcast
// value of x (fewer loads per multiply-add), P = 1 where there are only 16 output channels.
#define DEFINE_CONV_WEIGHT_GRADIENT(name, R, P)                                                                 \
__kernel void name(const int N, const int H, const int W, const int C,                                         \
                   const int OH, const int OW, const int KH, const int KW,                                     \
                   const int stride, const int pad_h, const int pad_w,                                         \
                   __global const float* x, __global const float* dz, const int Cout,                          \
                   const int rows_per_chunk, __global float* part)                                             \
{                                                                                                              \
    const int ib = get_global_id(0), jp = get_global_id(1), chunk = get_global_id(2);                          \
    const int K = KH * KW * C, p0 = ib * R, j0 = jp * 16 * P;                                                  \
    if (p0 >= K || j0 >= Cout) return;                                                                         \
    const int kh = p0 / (KW * C), kw = p0 / C % KW, c0 = p0 % C;                                               \
    /* output columns whose input column ow*stride - pad_w + kw lies in [0, W) */                              \
    const int from = max(0, (pad_w - kw + stride - 1) / stride);                                               \
    const int to = W - 1 + pad_w - kw < 0 ? 0 : min(OW, (W - 1 + pad_w - kw) / stride + 1);                    \
    float16 acc[R], acc2[R];                                                                                   \
    _Pragma("unroll")                                                                                          \
    for (int r = 0; r < R; r++) { acc[r] = (float16)(0.0f); acc2[r] = (float16)(0.0f); }                       \
    const int first = chunk * rows_per_chunk, last = min(first + rows_per_chunk, N * OH);                      \
    for (int row = first; row < last; row++) {                                                                 \
        const int h = row % OH * stride - pad_h + kh;                                                          \
        if (h < 0 || h >= H) continue;                                                                         \
        const __global float* xp = x + (((size_t)(row / OH) * H + h) * W + from * stride - pad_w + kw) * C + c0; \
        const __global float* dp = dz + ((size_t)row * OW + from) * Cout + j0;                                 \
        for (int ow = from; ow < to; ow++, xp += stride * C, dp += Cout) {                                     \
            /* lanes past Cout read the next pixel (or the buffer's padding); never stored */                  \
            const float16 d = vload16(0, dp), d2 = P == 2 ? vload16(1, dp) : (float16)(0.0f);                  \
            _Pragma("unroll")                                                                                  \
            for (int r = 0; r < R; r++) {                                                                      \
                acc[r] = fma((float16)xp[r], d, acc[r]);                                                       \
                if (P == 2) acc2[r] = fma((float16)xp[r], d2, acc2[r]);                                        \
            }                                                                                                  \
        }                                                                                                      \
    }                                                                                                          \
    for (int r = 0; r < R; r++) {                                                                              \
        __global float* dst = part + ((size_t)chunk * K + p0 + r) * Cout + j0;                                 \
        store16(dst, acc[r], min(16, Cout - j0), 0.0f);                                                        \
        if (P == 2 && Cout - j0 > 16)                                                                          \
            store16(dst + 16, acc2[r], min(16, Cout - j0 - 16), 0.0f);                                         \
    }                                                                                                          \
}
DEFINE_CONV_WEIGHT_GRADIENT(conv_weight_gradient8, 8, 1)
DEFINE_CONV_WEIGHT_GRADIENT(conv_weight_gradient4, 4, 1)
DEFINE_CONV_WEIGHT_GRADIENT(conv_weight_gradient8x2, 8, 2)
DEFINE_CONV_WEIGHT_GRADIENT(conv_weight_gradient4x2, 4, 2)

// dw[co, p] = sum over the chunks of part[chunk][p][co] (+ beta * dw), in chunk order: the same sum on
// every run. A work-item sums 16 output channels of one p as a vector and scatters them into dw's rows.
__kernel void conv_weight_gradient_sum(const int K, const int Cout, const int chunks,
                                       __global const float* part, const float beta, __global float* dw)
{
    const int j0 = get_global_id(0) * 16, p = get_global_id(1);
    if (j0 >= Cout || p >= K) return;
    float16 sum = (float16)(0.0f);
    for (int chunk = 0; chunk < chunks; chunk++)
        sum += vload16(0, part + ((size_t)chunk * K + p) * Cout + j0);   // lanes past Cout read the next row; never stored
    store_strided16(dw + (size_t)j0 * K + p, K, sum, min(16, Cout - j0), beta);
}

// ---- Few input channels (an image's 1 or 3): through a zero-padded copy of the input ----------
// With C < 8 a tap has too few channels to pay for its bounds checks. In a padded copy every window
// lies inside the image, and the KW*C values of one window row are contiguous: kernels loop over
// them with no checks at all.

// xp[n, hp, wp, c] = x[n, hp - pad_h, wp - pad_w, c], or 0 outside x; one work-item per padded row (n, hp).
__kernel void pad_image(const int N, const int H, const int W, const int C, const int pad_h, const int pad_w,
                        const int HP, const int WP, __global const float* x, __global float* xp)
{
    const int row = get_global_id(0);
    if (row >= N * HP) return;
    const int h = row % HP - pad_h, n = row / HP;
    __global float* dst = xp + (size_t)row * WP * C;
    if (h < 0 || h >= H) { zero_floats(dst, WP * C); return; }
    const int left = min(pad_w, WP) * C, inside = clamp(WP - pad_w, 0, W) * C;
    zero_floats(dst, left);
    copy_floats(dst + left, x + ((size_t)n * H + h) * W * C, inside);
    zero_floats(dst + left + inside, WP * C - left - inside);
}

// conv_direct on the padded copy: per window row kh, 8 pixel pointers and KW*C contiguous values.
__kernel void conv_direct_padded(const int N, const int HP, const int WP, const int C,
                                 const int OH, const int OW, const int KH, const int KW, const int stride,
                                 __global const float* xp, __global const float* Wp, const int J, __global float* y,
                                 __global const float* bias, const int bias_mode, const float beta, const int act)
{
    const int ip = get_global_id(0), jp = get_global_id(1);
    const int rows = N * OH * OW, span = KW * C;
    if (ip * 8 >= rows || jp * 16 >= J) return;
    int top[8], left[8], image[8];
    pixel_origins8(ip * 8, rows, OH, OW, HP, stride, 0, 0, top, left, image);
    size_t origin[8];
    #pragma unroll
    for (int r = 0; r < 8; r++) origin[r] = (((size_t)image[r] + top[r]) * WP + left[r]) * C;
    const __global float* b = Wp + (size_t)jp * KH * span * 16;
    float16 acc[8];
    #pragma unroll
    for (int r = 0; r < 8; r++) acc[r] = (float16)(0.0f);
    for (int kh = 0; kh < KH; kh++) {
        const __global float* a[8];
        #pragma unroll
        for (int r = 0; r < 8; r++) a[r] = xp + origin[r] + (size_t)kh * WP * C;
        MULTIPLY_ADD_8_PIXELS(acc, a, b, span)
    }
    STORE_PIXEL_BLOCK
}

// conv_weight_gradient on the padded copy: a work-item takes 8 consecutive values q0.. of window row kh
// (p = kh*KW*C + q) x 16 output channels, over a chunk of output rows; values past the window row
// read the next pixel's and are not stored.
__kernel void conv_weight_gradient_padded(const int N, const int HP, const int WP, const int C,
                                          const int OH, const int OW, const int KH, const int KW, const int stride,
                                          __global const float* xp, __global const float* dz, const int Cout,
                                          const int rows_per_chunk, __global float* part)
{
    const int blocks = (KW * C + 7) / 8;
    const int ib = get_global_id(0), jp = get_global_id(1), chunk = get_global_id(2);
    if (ib >= KH * blocks || jp * 16 >= Cout) return;
    const int kh = ib / blocks, q0 = ib % blocks * 8, span = KW * C, K = KH * span;
    float16 acc[8];
    #pragma unroll
    for (int r = 0; r < 8; r++) acc[r] = (float16)(0.0f);
    const int first = chunk * rows_per_chunk, last = min(first + rows_per_chunk, N * OH);
    for (int row = first; row < last; row++) {
        const __global float* a = xp + (((size_t)(row / OH) * HP + row % OH * stride + kh) * WP) * C + q0;
        const __global float* dp = dz + (size_t)row * OW * Cout + jp * 16;
        for (int ow = 0; ow < OW; ow++, a += stride * C, dp += Cout) {
            const float16 d = vload16(0, dp);   // lanes past Cout read the next pixel; never stored
            #pragma unroll
            for (int r = 0; r < 8; r++) acc[r] = fma((float16)a[r], d, acc[r]);
        }
    }
    const int j0 = jp * 16, count = min(16, Cout - j0);
    for (int r = 0; r < 8 && q0 + r < span; r++) {
        __global float* dst = part + ((size_t)chunk * K + kh * span + q0 + r) * Cout + j0;
        store16(dst, acc[r], count, 0.0f);
    }
}

// ---- A last, narrow panel (stride 1): a row of pixels in the vector lanes ----------------------
// A last panel of 4 or fewer channels (LeNet's 50 = 3 x 16 + 2 outputs, its input gradient's 20 = 16 + 4)
// would leave most lanes of the kernels above multiplying zeros. conv_rows4 holds 16 pixels of one output
// row in the lanes and its 4 channels in 4 vectors, and reads a transposed copy of the input,
// xt[n, hp, c, wt] (pad_rows), where a window's 16 pixels are 16 consecutive floats: one vector load and 4
// multiply-adds per (kh, kw, c).

// xt[n, hp, c, wt] = x[n, hp - pad_h, wt - pad_w, c], or 0 outside x; one work-item per padded row (n, hp): it reads
// the row of x once, in order, and writes its C rows of WT floats.
__kernel void pad_rows(const int N, const int H, const int W, const int C, const int pad_h, const int pad_w,
                       const int HP, const int WT, __global const float* x, __global float* xt)
{
    const int row = get_global_id(0);   // n * HP + hp
    if (row >= N * HP) return;
    const int h = row % HP - pad_h, n = row / HP;
    __global float* dst = xt + (size_t)row * C * WT;
    if (h < 0 || h >= H) { zero_floats(dst, C * WT); return; }
    const __global float* src = x + ((size_t)n * H + h) * W * C;
    const int left = min(pad_w, WT), inside = clamp(WT - pad_w, 0, W);   // columns [left, left + inside) come from x
    for (int c = 0; c < C; c++, dst += WT) {
        for (int wt = 0; wt < left; wt++) dst[wt] = 0.0f;
        for (int w = 0; w < inside; w++) dst[left + w] = src[(size_t)w * C + c];
        for (int wt = left + inside; wt < WT; wt++) dst[wt] = 0.0f;
    }
}

// Exchanges the s x s blocks off the diagonal of each 2s x 2s block of the 4 x 4 blocks of lanes of a[i], a[i + s]
// (bit s of i clear); stages s = 2 and 1 turn a[j][4g + i] into a[i][4g + j].
#define SWAP_LANE_BLOCKS(a, i, s, lo, hi) { const float16 x_ = a[i], y_ = a[(i) + (s)]; a[i] = shuffle2(x_, y_, lo); a[(i) + (s)] = shuffle2(x_, y_, hi); }
#define LANES_S2_LO (uint16)(0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29)
#define LANES_S2_HI (uint16)(2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31)
#define LANES_S1_LO (uint16)(0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30)
#define LANES_S1_HI (uint16)(1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31)

// y[(n, oh, ow), j] = act(sum over (kh, kw, c) of xt[n, oh + kh, c, ow + kw] * Wp(p, j) + bias[j]) + beta * y for the
// 16 pixels of row segment s and the channels [j0, min(j0 + 4, J)) (j0 a multiple of 4; Wp in the panels of
// pack_conv_weights). The channel vectors become pixel quads by shuffles; a pixel's channels go out in one store.
__kernel void conv_rows4(const int N, const int HP, const int WT, const int C, const int OH, const int OW,
                         const int KH, const int KW, __global const float* xt, __global const float* Wp, const int J,
                         __global float* y, __global const float* bias, const float beta, const int act, const int j0)
{
    const int segments = (OW + 15) / 16, item = get_global_id(0);
    if (item >= N * OH * segments) return;
    const int s = item % segments, oh = item / segments % OH, n = item / (segments * OH);
    const __global float* b = Wp + (size_t)(j0 / 16) * KH * KW * C * 16 + j0 % 16;
    float16 acc[4] = { (float16)(0.0f), (float16)(0.0f), (float16)(0.0f), (float16)(0.0f) };
    for (int kh = 0; kh < KH; kh++) {
        const __global float* row = xt + ((size_t)n * HP + oh + kh) * C * WT + s * 16;
        for (int kw = 0; kw < KW; kw++)
            for (int c = 0; c < C; c++, b += 16) {
                const float16 v = vload16(0, row + (size_t)c * WT + kw);
                #pragma unroll
                for (int j = 0; j < 4; j++) acc[j] = fma(v, (float16)(b[j]), acc[j]);
            }
    }
    const int count = min(4, J - j0), pixels = min(16, OW - s * 16);
    #pragma unroll
    for (int j = 0; j < 4; j++) acc[j] = activate16(bias && j < count ? acc[j] + bias[j0 + j] : acc[j], act);
    SWAP_LANE_BLOCKS(acc, 0, 2, LANES_S2_LO, LANES_S2_HI) SWAP_LANE_BLOCKS(acc, 1, 2, LANES_S2_LO, LANES_S2_HI)
    SWAP_LANE_BLOCKS(acc, 0, 1, LANES_S1_LO, LANES_S1_HI) SWAP_LANE_BLOCKS(acc, 2, 1, LANES_S1_LO, LANES_S1_HI)
    const float4 quads[16] = { acc[0].s0123, acc[1].s0123, acc[2].s0123, acc[3].s0123, acc[0].s4567, acc[1].s4567, acc[2].s4567, acc[3].s4567,
                               acc[0].s89ab, acc[1].s89ab, acc[2].s89ab, acc[3].s89ab, acc[0].scdef, acc[1].scdef, acc[2].scdef, acc[3].scdef };
    __global float* out = y + (((size_t)n * OH + oh) * OW + s * 16) * J + j0;
    #pragma unroll
    for (int l = 0; l < 16; l++) {   // constant indices keep quads in registers
        if (l >= pixels) continue;
        if (count == 4 && beta == 0.0f) vstore4(quads[l], 0, out + l * J);
        else store16(out + l * J, (float16)(quads[l], (float4)(0.0f), (float8)(0.0f)), count, beta);
    }
}
