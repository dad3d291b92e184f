// Kernels of the character model: embedding, the LSTM cell for one time step (Ops/Lstm.cs loops
// over time on the host), and dropout between layers.
// Layouts: gates G[B, T, 4H] hold the pre-activations [i f o g] of each step, turned in place into
// the activations the backward pass needs; the states H and C are [B, T+1, H], step 0 being the
// initial state. A sequence b is active at step t while t < lengths[b]; past its end its state
// stays as it was, so a batch of sequences of different lengths runs as far as its longest one.

// out[r, :] = matrix[index[r], :] (indexes are stored as floats)
__kernel void embedding_forward(const int rows, const int E, __global const float* index, __global const float* matrix, __global float* out)
{
    const int e = get_global_id(0);
    const int r = get_global_id(1);
    if (e < E && r < rows) out[(size_t)r * E + e] = matrix[(size_t)(int)index[r] * E + e];
}

// dm[v, :] = sum of dy[r, :] over the rows r whose index is v (+ beta * dm): a gather per
// vocabulary entry, so the sum needs no atomics and comes out the same on every run.
__kernel void embedding_backward(const int rows, const int E, const int V, __global const float* index, __global const float* dy,
                                 const float beta, __global float* dm)
{
    const int e0 = get_global_id(0) * 16;
    const int v = get_global_id(1);
    if (e0 >= E || v >= V) return;
    float16 acc = (float16)(0.0f);
    for (int r = 0; r < rows; r++)
        if ((int)index[r] == v) acc += vload16(0, dy + (size_t)r * E + e0);   // lanes past E are never stored
    store_partial16(dm + (size_t)v * E + e0, acc, min(16, E - e0), beta);
}

float sigmoid1(const float x) { return 1.0f / (1.0f + exp(-x)); }

// Step t of one layer: gates to activations, then c_t = f*c_{t-1} + i*g and h_t = o*tanh(c_t).
__kernel void lstm_cell_forward(const int B, const int T, const int H, const int t,
                                __global float* gates, __global float* c, __global float* h, __global const float* lengths)
{
    const int k = get_global_id(0);
    const int b = get_global_id(1);
    if (k >= H || b >= B) return;
    __global float* g = gates + ((size_t)b * T + t) * 4 * H;
    const float i = sigmoid1(g[k]), f = sigmoid1(g[H + k]), o = sigmoid1(g[2 * H + k]), u = tanh(g[3 * H + k]);
    g[k] = i; g[H + k] = f; g[2 * H + k] = o; g[3 * H + k] = u;
    const size_t prev = ((size_t)b * (T + 1) + t) * H + k, next = prev + H;
    if (t < (int)lengths[b]) {
        const float cn = fma(f, c[prev], i * u);
        c[next] = cn;
        h[next] = o * tanh(cn);
    } else {
        c[next] = c[prev];
        h[next] = h[prev];
    }
}

// Backward through step t. dh_rec is the gradient reaching h_t from step t+1; dc carries the
// cell gradient from t+1 to t (updated in place). Writes the gate pre-activation gradients dG and,
// for sequences already past their end, the h gradient that flows on to h_{t-1} unchanged (carry);
// the host then adds dG_t · Wh^T to carry to get dh_rec of step t-1.
__kernel void lstm_cell_backward(const int B, const int T, const int H, const int t,
                                 __global const float* gates, __global const float* c, __global const float* dh_out,
                                 __global const float* dh_rec, __global float* dc, __global float* dgates, __global float* carry,
                                 __global const float* lengths)
{
    const int k = get_global_id(0);
    const int b = get_global_id(1);
    if (k >= H || b >= B) return;
    const size_t row = ((size_t)b * T + t) * 4 * H;
    const int s = b * H + k;
    const float dh = dh_out[((size_t)b * T + t) * H + k] + dh_rec[s];
    if (t >= (int)lengths[b]) {
        dgates[row + k] = 0.0f; dgates[row + H + k] = 0.0f; dgates[row + 2 * H + k] = 0.0f; dgates[row + 3 * H + k] = 0.0f;
        carry[s] = dh;
        return;
    }
    const float i = gates[row + k], f = gates[row + H + k], o = gates[row + 2 * H + k], u = gates[row + 3 * H + k];
    const size_t prev = ((size_t)b * (T + 1) + t) * H + k;
    const float tc = tanh(c[prev + H]);
    const float dct = fma(dh * o, 1.0f - tc * tc, dc[s]);
    dgates[row + k] = dct * u * i * (1.0f - i);
    dgates[row + H + k] = dct * c[prev] * f * (1.0f - f);
    dgates[row + 2 * H + k] = dh * tc * o * (1.0f - o);
    dgates[row + 3 * H + k] = dct * i * (1.0f - u * u);
    dc[s] = dct * f;
    carry[s] = 0.0f;
}

// The initial state (step 0) of H and C: zeros, or step `from` of the previous call (a generator
// that feeds one character at a time carries its state on).
__kernel void lstm_initial_state(const int B, const int T, const int H, const int from, __global float* h, __global float* c)
{
    const int k = get_global_id(0);
    const int b = get_global_id(1);
    if (k >= H || b >= B) return;
    const size_t start = (size_t)b * (T + 1) * H + k;
    h[start] = from < 0 ? 0.0f : h[start + (size_t)from * H];
    c[start] = from < 0 ? 0.0f : c[start + (size_t)from * H];
}

// h_{t-1} for every step, as one [B*T, H] matrix: prev[b, t, :] = h[b, t, :] (step t of H is h_{t-1}).
__kernel void lstm_previous_hidden(const int B, const int T, const int H, __global const float* h, __global float* prev)
{
    const int k = get_global_id(0);
    const int r = get_global_id(1);   // b * T + t
    if (k >= H || r >= B * T) return;
    const int b = r / T, t = r % T;
    prev[(size_t)r * H + k] = h[((size_t)b * (T + 1) + t) * H + k];
}

// Inverted dropout: kept values are scaled by 1/(1-p), so nothing changes at inference (p = 0).
// The mask comes from the counter generator: the same (seed, stream, index) in forward and backward.
float dropout_scale(const float p, const uint seed, const uint stream, const uint index)
{
    return p <= 0.0f ? 1.0f : (uniform01(seed, stream, index) < p ? 0.0f : 1.0f / (1.0f - p));
}

// A layer's output: y[b, t, :] = dropout(h[b, t+1, :])
__kernel void lstm_output_forward(const int B, const int T, const int H, __global const float* h, const float p, const uint seed, const uint stream,
                                  __global float* y)
{
    const int k = get_global_id(0);
    const int r = get_global_id(1);
    if (k >= H || r >= B * T) return;
    const int b = r / T, t = r % T;
    const uint i = (uint)r * H + k;
    y[i] = h[((size_t)b * (T + 1) + t + 1) * H + k] * dropout_scale(p, seed, stream, i);
}

// dh[b, t, :] = dy[b, t, :] * mask (+ beta * dh)
__kernel void dropout_backward(const int n, const float p, const uint seed, const uint stream, __global const float* dy, const float beta, __global float* dx)
{
    const int i = get_global_id(0);
    if (i >= n) return;
    const float d = dy[i] * dropout_scale(p, seed, stream, i);
    dx[i] = beta != 0.0f ? d + beta * dx[i] : d;
}

__kernel void dropout_forward(const int n, const float p, const uint seed, const uint stream, __global const float* x, __global float* y)
{
    const int i = get_global_id(0);
    if (i < n) y[i] = x[i] * dropout_scale(p, seed, stream, i);
}
