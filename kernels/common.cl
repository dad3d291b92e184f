// Helpers shared by every kernel file (common.cl is compiled first).

// Activation codes; they match ClNet.Engine.Activation.
#define ACT_LINEAR   0
#define ACT_SIGMOID  1
#define ACT_TANH     2
#define ACT_RELU     3
#define ACT_SOFTRELU 4

// tanh from one exp: (1 - e) / (1 + e) with e = exp(-2|x|), the sign put back; below |x| = 1/8, where
// 1 - e would lose bits, its Taylor polynomial (the first left-out term is < 2e-9 of x there). PoCL's
// tanh costs twice as much: LeNet's first convolution spent 0.28 ms per step on it, now 0.18 ms.
#define DEFINE_TANH(name, T)                                                                             \
    T name(const T x)                                                                                    \
    {                                                                                                    \
        const T e = exp(-2.0f * fabs(x)), x2 = x * x;                                                    \
        const T series = x * fma(x2, fma(x2, fma(x2, -17.0f / 315.0f, 2.0f / 15.0f), -1.0f / 3.0f), 1.0f); \
        return select(copysign((1.0f - e) / (1.0f + e), x), series, fabs(x) < 0.125f);                   \
    }
DEFINE_TANH(tanh_exp, float)
DEFINE_TANH(tanh_exp8, float8)
DEFINE_TANH(tanh_exp16, float16)

// f(x), for one float and for 16 lanes: the builtins are overloaded, only the type differs.
// softrelu is softplus, written so that it neither overflows nor loses small values.
#define DEFINE_ACTIVATE(name, T, TANH)                                     \
    T name(const T x, const int act)                                       \
    {                                                                      \
        switch (act) {                                                     \
        case ACT_SIGMOID:  return 1.0f / (1.0f + exp(-x));                 \
        case ACT_TANH:     return TANH(x);                                 \
        case ACT_RELU:     return fmax(x, 0.0f);                           \
        case ACT_SOFTRELU: return fmax(x, 0.0f) + log1p(exp(-fabs(x)));   \
        default:           return x;                                       \
        }                                                                  \
    }
DEFINE_ACTIVATE(activate, float, tanh_exp)
DEFINE_ACTIVATE(activate16, float16, tanh_exp16)

// f'(x) written in terms of the output y = f(x), which is what the forward pass keeps.
#define DEFINE_SLOPE(name, T)                                              \
    T name(const T y, const int act)                                       \
    {                                                                      \
        switch (act) {                                                     \
        case ACT_SIGMOID:  return y * (1.0f - y);                          \
        case ACT_TANH:     return 1.0f - y * y;                            \
        case ACT_RELU:     return select((T)(0.0f), (T)(1.0f), y > 0.0f);  \
        case ACT_SOFTRELU: return -expm1(-y);   /* sigmoid(x) = 1 - exp(-softplus(x)) */ \
        default:           return (T)(1.0f);                               \
        }                                                                  \
    }
DEFINE_SLOPE(activation_slope, float)
DEFINE_SLOPE(activation_slope16, float16)

// The share of one work-item when a kernel spreads `count` items (vectors, rows) over the global range of
// dimension dim: items [first, end) of ceil(count / global size) each. The host picks the range
// (DeviceContext.LaunchRowShares, LaunchRows, LaunchVectors): on a CPU a few hundred bytes of work each, as PoCL's per-work-item loop costs
// more than one vector's arithmetic; on a GPU one item each, so that neighbouring work-items read neighbouring memory.
#define SHARE_OF_ITEMS(count, dim, first, end)                                                                   \
    const int per_item_ = ((count) + (int)get_global_size(dim) - 1) / (int)get_global_size(dim);                \
    const int first = (int)get_global_id(dim) * per_item_, end = min((count), first + per_item_)

// The share [from, to) of a row of `width` floats, in vectors of 16, for kernels whose x index splits rows
// (DeviceContext.LaunchRows: the whole row on a CPU, a vector on a GPU).
#define SHARE_OF_ROW(width, from, to)                                                                            \
    SHARE_OF_ITEMS(((width) + 15) / 16, 0, first_vector_, end_vector_);                                         \
    const int from = first_vector_ * 16, to = min((width), end_vector_ * 16)

// Element-wise kernels take their share of the vectors of 16 elements (DeviceContext.LaunchVectors): i0 is a
// vector's first element; full vectors use vload16/vstore16, the last partial one goes element by element.
#define FOR_16(n, body16, body1)                                                      \
    SHARE_OF_ITEMS(((n) + 15) / 16, 0, first_, end_);                                 \
    for (int i0 = first_ * 16; i0 < min((n), end_ * 16); i0 += 16) {                  \
        if (i0 + 16 <= (n)) { body16 }                                                \
        else for (int i = i0; i < (n); i++) { body1 }                                 \
    }

float sum16(const float16 v)
{
    const float8 a = v.lo + v.hi;
    const float4 b = a.lo + a.hi;
    const float2 c = b.lo + b.hi;
    return c.x + c.y;
}

// Store lanes [0, count) of v at dst, dst + stride, ..., adding beta * dst.
void store_strided16(__global float* dst, const int stride, const float16 v, const int count, const float beta)
{
    float lanes[16];
    vstore16(v, 0, lanes);
    for (int t = 0; t < count; t++) {
        __global float* out = dst + (size_t)t * stride;
        *out = beta != 0.0f ? lanes[t] + beta * *out : lanes[t];
    }
}

// Store lanes [0, count) of v at dst (count <= 16), adding beta * dst: one vector store when all 16
// lanes are valid, element by element for the last, partial vector of a row.
void store16(__global float* dst, float16 v, const int count, const float beta)
{
    if (count < 16) {
        store_strided16(dst, 1, v, count, beta);
        return;
    }
    if (beta != 0.0f) v += beta * vload16(0, dst);
    vstore16(v, 0, dst);
}

// Stores lanes [0, count) of v (count <= 8).
void store_partial8(__global float* dst, const float8 v, const int count)
{
    if (count == 8) { vstore8(v, 0, dst); return; }
    float lanes[8];
    vstore8(v, 0, lanes);
    for (int l = 0; l < count; l++) dst[l] = lanes[l];
}

// The epilogue of 16 columns of one row of a product (packed and direct-convolution kernels), from
// column j: act(alpha * acc + bias) + beta * C, count of them valid.
void store_packed16(__global float* c, const int sc1, const float16 acc, const int count,
                    __global const float* bias, const int bias_mode, const int i, const int j,
                    const float alpha, const float beta, const int act)
{
    float16 v = alpha * acc;
    if (bias_mode == 1) v += vload16(0, bias + j);   // lanes past N read the buffer's padding; never stored
    else if (bias_mode == 2) v += bias[i];
    v = activate16(v, act);
    if (sc1 == 1) store16(c, v, count, beta);
    else store_strided16(c, sc1, v, count, beta);
}

// Runs of n floats, 16 at a time with float16 loads and stores, then one by one.
void copy_floats(__global float* dst, const __global float* src, const int n)
{
    int i = 0;
    for (; i + 16 <= n; i += 16) vstore16(vload16(0, src + i), 0, dst + i);
    for (; i < n; i++) dst[i] = src[i];
}

void zero_floats(__global float* dst, const int n)
{
    int i = 0;
    for (; i + 16 <= n; i += 16) vstore16((float16)(0.0f), 0, dst + i);
    for (; i < n; i++) dst[i] = 0.0f;
}

void add_floats(__global float* dst, const __global float* src, const int n)
{
    int i = 0;
    for (; i + 16 <= n; i += 16) vstore16(vload16(0, dst + i) + vload16(0, src + i), 0, dst + i);
    for (; i < n; i++) dst[i] += src[i];
}

// A counter-based generator: the same (seed, stream, index) gives the same number on every device
// and on the host (ClNet.Engine.CounterRandom), so runs are reproducible without device state.
uint hash_u32(uint x)
{
    x ^= x >> 16; x *= 0x7feb352dU;
    x ^= x >> 15; x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

float uniform01(const uint seed, const uint stream, const uint index)
{
    const uint h = hash_u32(seed ^ hash_u32(stream * 0x9E3779B9U ^ hash_u32(index)));
    return (float)(h >> 8) * (1.0f / 16777216.0f);
}
