// clnet's MLP data generator: x0, x1 uniform in [1, 4), y = x0 / x1. Drawn on the device from the
// counter-based generator, so a batch costs one launch and no upload. Row i of this replica is row
// first + i of the global batch, so a batch split across devices is the batch one device would draw.
__kernel void synthetic_ratio(const int M, const uint seed, const uint step, const int first, __global float* x, __global float* y)
{
    const int i = get_global_id(0);
    if (i >= M) return;
    const float x0 = 1.0f + 3.0f * uniform01(seed, step, 2 * (first + i));
    const float x1 = 1.0f + 3.0f * uniform01(seed, step, 2 * (first + i) + 1);
    x[2 * i] = x0;
    x[2 * i + 1] = x1;
    y[i] = x0 / x1;
}

// One batch of images from the data set kept on the device as bytes (NHWC, one byte per channel):
// x[b, p, c] = (src[index[offset + b], p, c] / 255 - mean[c]) / std[c] and label[b] = labels[index[offset + b]].
// The index list is the epoch's shuffled order (or the test set's own order).
__kernel void gather_images(const int B, const int pixels, const int C, __global const int* index, const int offset,
                            __global const uchar* src, __global const float* labels, const float4 mean, const float4 inv_std,
                            __global float* x, __global float* label)
{
    const int p = get_global_id(0);
    const int b = get_global_id(1);
    if (p >= pixels || b >= B) return;
    const int image = index[offset + b];
    const __global uchar* from = src + ((size_t)image * pixels + p) * C;
    __global float* to = x + ((size_t)b * pixels + p) * C;
    const float m[4] = { mean.x, mean.y, mean.z, mean.w };
    const float s[4] = { inv_std.x, inv_std.y, inv_std.z, inv_std.w };
    for (int c = 0; c < C; c++) to[c] = ((float)from[c] * (1.0f / 255.0f) - m[c]) * s[c];
    if (p == 0) label[b] = labels[image];
}

// One batch of character sequences from the encoded corpus kept on the device. Sequence s covers
// characters [s*L, s*L + len] with len = min(L, N - 1 - s*L): data holds its first len characters,
// label the len characters after each of them. Rows past the last sequence, and steps past a
// sequence's end, get length 0 and label -1 (the loss skips them).
__kernel void gather_sequences(const int B, const int T, const int S, const int N, const int L,
                               __global const int* order, const int offset, __global const float* codes,
                               __global float* data, __global float* label, __global float* length)
{
    const int t = get_global_id(0);
    const int b = get_global_id(1);
    if (t >= T || b >= B) return;
    const int k = offset + b;
    const int start = k < S ? order[k] * L : 0;
    const int len = k < S ? min(L, N - 1 - start) : 0;
    const int at = b * T + t;
    data[at] = t < len ? codes[start + t] : 0.0f;
    label[at] = t < len ? codes[start + t + 1] : -1.0f;
    if (t == 0) length[b] = (float)len;
}
