// Optimizers. Both take the gradient scale of global-norm clipping from the device (scale[0]), so
// clipping needs no round trip to the host; a NULL scale means 1.

// Stochastic gradient descent with momentum and L2 weight decay:
//   v = momentum * v - lr * (g * scale + decay * w);  w = w + v
__kernel void sgd_momentum(const int n, __global float* w, __global const float* g, __global float* v,
                           const float lr, const float momentum, const float decay, __global const float* scale)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float s = scale ? scale[0] : 1.0f;
    const float step = momentum * v[i] - lr * (g[i] * s + decay * w[i]);
    v[i] = step;
    w[i] += step;
}

// Adam (Kingma and Ba), with the bias correction folded into lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t):
//   d = g * scale + decay * w;  m = beta1 m + (1-beta1) d;  v = beta2 v + (1-beta2) d^2;  w -= lr_t m / (sqrt(v) + eps)
__kernel void adam(const int n, __global float* w, __global const float* g, __global float* m, __global float* v,
                   const float lr_t, const float beta1, const float beta2, const float epsilon, const float decay, __global const float* scale)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float s = scale ? scale[0] : 1.0f;
    const float d = fma(g[i], s, decay * w[i]);
    const float mi = fma(beta1, m[i], (1.0f - beta1) * d);
    const float vi = fma(beta2, v[i], (1.0f - beta2) * d * d);
    m[i] = mi;
    v[i] = vi;
    w[i] -= lr_t * mi / (sqrt(vi) + epsilon);
}

// partial[slot + w] = sum of g^2 over chunk w of a gradient (16 lanes at a time)
__kernel void sum_squares(const int n, __global const float* g, const int chunk, __global float* partial, const int slot)
{
    const int w = get_global_id(0);
    const int start = w * chunk;
    if (start >= n) return;
    const int end = min(n, start + chunk);
    float16 acc = (float16)(0.0f);
    int i = start;
    for (; i + 16 <= end; i += 16) { const float16 x = vload16(0, g + i); acc = fma(x, x, acc); }
    float s = sum16(acc);
    for (; i < end; i++) s = fma(g[i], g[i], s);
    partial[slot + w] = s;
}

// scale[0] = min(1, max_norm / ||g||) over all the partial sums; scale[1] = ||g||
__kernel void clip_scale(const int count, __global const float* partial, const float max_norm, __global float* scale)
{
    float s = 0.0f;
    for (int i = 0; i < count; i++) s += partial[i];
    const float norm = sqrt(s);
    scale[0] = norm > max_norm ? max_norm / norm : 1.0f;
    scale[1] = norm;
}
