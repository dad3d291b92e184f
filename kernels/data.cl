// clnet's MLP data generator: x0, x1 uniform in [1, 4), y = x0 / x1. Drawn on the device from the
// counter-based generator, so a batch costs one launch and no upload.
__kernel void synthetic_ratio(const int M, const uint seed, const uint step, __global float* x, __global float* y)
{
    const int i = get_global_id(0);
    if (i >= M) return;
    const float x0 = 1.0f + 3.0f * uniform01(seed, step, 2 * i);
    const float x1 = 1.0f + 3.0f * uniform01(seed, step, 2 * i + 1);
    x[2 * i] = x0;
    x[2 * i + 1] = x1;
    y[i] = x0 / x1;
}
