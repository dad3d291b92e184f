// Element-wise kernels, a share of the vectors of 16 elements per work-item (FOR_16 in common.cl): explicit float16 code
// becomes 512-bit vector code, which PoCL's implicit vectoriser does not reach.
// Kernels that may accumulate take beta: y = ... + beta * y, and never read y when beta is 0
// (a fresh buffer may hold anything).

// dst[0, n) = value, 1024 floats per work-item in float16 stores (DeviceContext.Fill: PoCL's
// clEnqueueFillBuffer copies the pattern float by float, about 4x slower).
__kernel void fill_floats(const int n, const float value, __global float* dst)
{
    const int i0 = get_global_id(0) * 1024, end = min(n, i0 + 1024);
    int i = i0;
    for (; i + 16 <= end; i += 16) vstore16((float16)(value), 0, dst + i);
    for (; i < end; i++) dst[i] = value;
}

__kernel void ew_add(const int n, __global const float* a, __global const float* b, __global float* y)
{
    FOR_16(n, vstore16(vload16(0, a + i0) + vload16(0, b + i0), 0, y + i0);, y[i] = a[i] + b[i];)
}

__kernel void ew_mul(const int n, __global const float* a, __global const float* b, __global float* y)
{
    FOR_16(n, vstore16(vload16(0, a + i0) * vload16(0, b + i0), 0, y + i0);, y[i] = a[i] * b[i];)
}

// y = alpha * x + beta * y
__kernel void ew_axpby(const int n, const float alpha, __global const float* x, const float beta, __global float* y)
{
    FOR_16(n,
        float16 v = alpha * vload16(0, x + i0);
        if (beta != 0.0f) v += beta * vload16(0, y + i0);
        vstore16(v, 0, y + i0);,
        y[i] = beta != 0.0f ? alpha * x[i] + beta * y[i] : alpha * x[i];)
}

// y = g * x + beta * y  (the gradient of a product with respect to one factor)
__kernel void ew_mul_acc(const int n, __global const float* g, __global const float* x, const float beta, __global float* y)
{
    FOR_16(n,
        float16 v = vload16(0, g + i0) * vload16(0, x + i0);
        if (beta != 0.0f) v += beta * vload16(0, y + i0);
        vstore16(v, 0, y + i0);,
        y[i] = beta != 0.0f ? g[i] * x[i] + beta * y[i] : g[i] * x[i];)
}

// y = f(x)
__kernel void activation_forward(const int n, __global const float* x, __global float* y, const int act)
{
    FOR_16(n, vstore16(activate16(vload16(0, x + i0), act), 0, y + i0);, y[i] = activate(x[i], act);)
}

// dz = dy * f'(x) (+ beta*dz), with f' taken from the output y = f(x)
__kernel void activation_backward(const int n, __global const float* y, __global const float* dy, const float beta, __global float* dz, const int act)
{
    FOR_16(n,
        float16 d = vload16(0, dy + i0) * activation_slope16(vload16(0, y + i0), act);
        if (beta != 0.0f) d += beta * vload16(0, dz + i0);
        vstore16(d, 0, dz + i0);,
        const float d = dy[i] * activation_slope(y[i], act);
        dz[i] = beta != 0.0f ? d + beta * dz[i] : d;)
}

// dst[j] = sum_i src[i * N + j] + beta * dst[j]; a work-item sums 16 columns with float16 loads.
__kernel void column_sum(const int M, const int N, __global const float* src, const float beta, __global float* dst)
{
    const int j0 = get_global_id(0) * 16;
    if (j0 >= N) return;
    float16 acc = (float16)(0.0f);
    for (int i = 0; i < M; i++) acc += vload16(0, src + i * N + j0);   // lanes past N: padding or the next row; never stored
    store16(dst + j0, acc, min(16, N - j0), beta);
}
