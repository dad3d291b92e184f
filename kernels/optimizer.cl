// Stochastic gradient descent with momentum and L2 weight decay:
//   v = momentum * v - lr * (g + decay * w);  w = w + v
__kernel void sgd_momentum(const int n, __global float* w, __global const float* g, __global float* v,
                           const float lr, const float momentum, const float decay)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float step = momentum * v[i] - lr * (g[i] + decay * w[i]);
    v[i] = step;
    w[i] += step;
}
