// Kernels of the character model: embedding, the LSTM cell for one time step (Ops/Lstm.cs loops
// over time on the host), and dropout between layers.
// Layouts: gates G[B, T, 4H] hold the pre-activations [i f o g] of each step, turned in place into
// the activations the backward pass needs; the states H and C are [B, T+1, H], step 0 being the
// initial state. A sequence b is active at step t while t < lengths[b]; past its end its state
// stays as it was, so a batch of sequences of different lengths runs as far as its longest one.

// out[r, :] = matrix[index[r], :] (indexes are stored as floats)
// (row r = the y index, its share of the row's vectors of 16: the whole row on a CPU, DeviceContext.LaunchRows)
__kernel void embedding_forward(const int rows, const int E, __global const float* index, __global const float* matrix, __global float* out)
{
    const int r = get_global_id(1);
    SHARE_OF_ROW(E, from, to);
    if (r < rows && from < to) copy_floats(out + (size_t)r * E + from, matrix + (size_t)(int)index[r] * E + from, to - from);
}

// The embedding's gradient: s[v, :] = sum of dy[r, :] over the rows r whose index is v (+ beta * s),
// for every v < V. Each work-item owns 16 columns of s and walks the rows once, in order: no atomics,
// the same sum on every run, and dy is read once (an LSTM's 4H-wide gate gradients, summed per
// character, use it too).
__kernel void embedding_sum_rows(const int rows, const int N, const int V, __global const float* index, __global const float* dy,
                                 const float beta, __global float* s)
{
    const int j = get_global_id(0) * 16;
    if (j >= N) return;
    const int count = min(16, N - j);
    for (int v = 0; v < V; v++) store16(s + (size_t)v * N + j, (float16)(0.0f), count, beta);
    int r = 0;
    // each row of dy is a new page for this work-item, which the prefetchers do not reach: the loads of 8 rows
    // are issued together, so that their cache misses overlap (one at a time, 2.65 ms for a 4128 x 1024 dy)
    for (; count == 16 && r + 8 <= rows; r += 8) {
        float16 d[8];
        #pragma unroll
        for (int k = 0; k < 8; k++) d[k] = vload16(0, dy + (size_t)(r + k) * N + j);
        #pragma unroll
        for (int k = 0; k < 8; k++) {
            __global float* sum = s + (size_t)(int)index[r + k] * N + j;
            vstore16(vload16(0, sum) + d[k], 0, sum);
        }
    }
    for (; r < rows; r++)   // lanes past N: padding or the next row; never stored
        store16(s + (size_t)(int)index[r] * N + j, vload16(0, dy + (size_t)r * N + j), count, 1.0f);
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

// h_{t-1} for every step, as one [B*T, H] matrix: prev[b, t, :] = h[b, t, :] (step t of H is h_{t-1});
// row r = b * T + t is the y index, its share of the row as in embedding_forward
__kernel void lstm_previous_hidden(const int B, const int T, const int H, __global const float* h, __global float* prev)
{
    const int r = get_global_id(1);
    SHARE_OF_ROW(H, from, to);
    if (r >= B * T || from >= to) return;
    const int b = r / T, t = r % T;
    copy_floats(prev + (size_t)r * H + from, h + ((size_t)b * (T + 1) + t) * H + from, to - from);
}

// Inverted dropout: kept values are scaled by 1/(1-p), so nothing changes at inference (p = 0).
// The mask comes from the counter generator: the same (seed, stream, index) in forward and backward.
float dropout_scale(const float p, const uint seed, const uint stream, const uint index)
{
    return p <= 0.0f ? 1.0f : (uniform01(seed, stream, index) < p ? 0.0f : 1.0f / (1.0f - p));
}

// A layer's output: y[b, t, :] = dropout(h[b, t+1, :]); row r = b * T + t is the y index, its share of the
// row as in embedding_forward
__kernel void lstm_output_forward(const int B, const int T, const int H, __global const float* h, const float p, const uint seed, const uint stream,
                                  __global float* y)
{
    const int r = get_global_id(1);
    SHARE_OF_ROW(H, from, to);
    if (r >= B * T || from >= to) return;
    const int b = r / T, t = r % T;
    if (p <= 0.0f) {
        copy_floats(y + (size_t)r * H + from, h + ((size_t)b * (T + 1) + t + 1) * H + from, to - from);
        return;
    }
    for (int k = from; k < to; k += 16) {
        const uint i = (uint)r * H + k;
        float scales[16];
        for (int lane = 0; lane < 16; lane++) scales[lane] = dropout_scale(p, seed, stream, i + lane);
        // lanes past H read the next row (or the padding); never stored
        store16(y + i, vload16(0, h + ((size_t)b * (T + 1) + t + 1) * H + k) * vload16(0, scales), min(16, H - k), 0.0f);
    }
}

// dx = dy * mask (+ beta * dx): the gradient through inverted dropout, the mask drawn again from (seed, stream, index)
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

// ---- One launch per step (CPU devices): the recurrent product and the cell in one kernel -------
// The per-step product is small (8 batch rows x 4H columns); on a CPU its launch and the separate
// cell kernel's pass over the gates cost as much as the multiply-adds. These kernels compute the
// product in registers, as the packed product does, and apply the cell to it before storing.

float16 sigmoid16(const float16 x) { return 1.0f / (1.0f + exp(-x)); }

// Wh [H, 4H] in panels that interleave the four gates of 8 hidden units: panel u, row p holds
// Wh[p, q*H + 8u + l] at lane 8q + l (q = i, f, o, g), zero past H. One work-item then holds all
// four gates of its units.
__kernel void lstm_pack_recurrent_weights(const int H, __global const float* wh, __global float* packed)
{
    const int u = get_global_id(0), p = get_global_id(1);
    if (u * 8 >= H || p >= H) return;
    __global float* dst = packed + ((size_t)u * H + p) * 32;
    for (int lane = 0; lane < 32; lane++) {
        const int unit = u * 8 + lane % 8;
        dst[lane] = unit < H ? wh[(size_t)p * 4 * H + (lane / 8) * H + unit] : 0.0f;
    }
}

// Step t of the cell for 8 units from k0 of sequence seq: the gates' pre-activations are the input
// projection in `gates` plus the recurrent product (lanes: lo = [i | f], hi = [o | g]); they are turned
// into activations in place (the backward pass needs them), then c_t = f*c_{t-1} + i*g and
// h_t = o*tanh(c_t). Past the sequence's end the state stays as it was.
void lstm_cell_forward8(const int T, const int H, const int t, const int seq, const int k0, const float16 lo, const float16 hi,
                        __global float* gates, __global float* c, __global float* h, __global const float* lengths)
{
    const int count = min(8, H - k0);
    __global float* g = gates + ((size_t)seq * T + t) * 4 * H + k0;   // lanes past H read neighbours; never stored
    // two 16-lane sigmoids for the four gates: [i | f], and [o | g] with g = tanh(x) = 2 sigmoid(2x) - 1
    const float16 in_forget = sigmoid16(lo + (float16)(vload8(0, g), vload8(0, g + H)));
    const float16 out_cell = sigmoid16((hi + (float16)(vload8(0, g + 2 * H), vload8(0, g + 3 * H))) * (float16)((float8)(1.0f), (float8)(2.0f)));
    const float8 i = in_forget.lo, f = in_forget.hi, o = out_cell.lo, v = fma(2.0f, out_cell.hi, -1.0f);
    store_partial8(g, i, count); store_partial8(g + H, f, count); store_partial8(g + 2 * H, o, count); store_partial8(g + 3 * H, v, count);
    const size_t prev = ((size_t)seq * (T + 1) + t) * H + k0, next = prev + H;
    const float8 cp = vload8(0, c + prev);
    const bool active = t < (int)lengths[seq];
    const float8 cn = active ? fma(f, cp, i * v) : cp;
    store_partial8(c + next, cn, count);
    store_partial8(h + next, active ? o * tanh_exp8(cn) : vload8(0, h + prev), count);
}

// Step t of one layer: gates_t += h_{t-1} · Wh (skipped when recurrent is 0: a zero initial state),
// then the cell, for 8 sequences x 8 hidden units per work-item.
__kernel void lstm_step_forward(const int B, const int T, const int H, const int t, const int recurrent,
                                __global const float* packed, __global float* gates, __global float* c, __global float* h,
                                __global const float* lengths)
{
    const int ib = get_global_id(0), u = get_global_id(1);
    if (ib * 8 >= B || u * 8 >= H) return;
    float16 lo[8], hi[8];   // lanes: lo = [i | f], hi = [o | g] of units 8u .. 8u+7
    #pragma unroll
    for (int r = 0; r < 8; r++) { lo[r] = (float16)(0.0f); hi[r] = (float16)(0.0f); }
    if (recurrent) {
        const __global float* a[8];
        #pragma unroll
        for (int r = 0; r < 8; r++) a[r] = h + ((size_t)min(ib * 8 + r, B - 1) * (T + 1) + t) * H;   // rows past B repeat the last; never stored
        const __global float* b = packed + (size_t)u * H * 32;
        for (int p = 0; p < H; p++, b += 32) {
            const float16 b0 = vload16(0, b), b1 = vload16(1, b);
            #pragma unroll
            for (int r = 0; r < 8; r++) { lo[r] = fma((float16)a[r][p], b0, lo[r]); hi[r] = fma((float16)a[r][p], b1, hi[r]); }
        }
    }
    for (int r = 0; r < 8 && ib * 8 + r < B; r++) lstm_cell_forward8(T, H, t, ib * 8 + r, u * 8, lo[r], hi[r], gates, c, h, lengths);
}

// The GPU route's cell (Ops/Lstm.cs): the product h_{t-1} · Wh is already in the gates; 8 units of one sequence per work-item.
__kernel void lstm_cell_forward(const int B, const int T, const int H, const int t,
                                __global float* gates, __global float* c, __global float* h, __global const float* lengths)
{
    const int k0 = get_global_id(0) * 8, seq = get_global_id(1);
    if (k0 < H && seq < B) lstm_cell_forward8(T, H, t, seq, k0, (float16)(0.0f), (float16)(0.0f), gates, c, h, lengths);
}

// The cell's backward pass at step t for 16 units from k0 of sequence seq. The gradient reaching h_t is
// dh_out (from the layer above) + carry + rec, rec being dG_{t+1} · Whᵀ; dc carries the cell gradient
// from t+1 to t (updated in place). Writes the gates' pre-activation gradients dG_t, and for sequences
// already past their end passes the h gradient on to h_{t-1} unchanged (carry). Inlined: PoCL otherwise
// calls it 16 times per work-item of the fused step, and the calls cost ~6 % of the step.
__attribute__((always_inline)) void lstm_cell_backward16(const int T, const int H, const int t, const int seq, const int k0, const float16 rec, const int count,
                          __global const float* gates, __global const float* c, __global const float* dh_out,
                          __global float* dc, __global float* dgates, __global float* carry, __global const float* lengths)
{
    const size_t row = ((size_t)seq * T + t) * 4 * H + k0;
    const int s = seq * H + k0;
    // lanes past H read neighbours (or padding); never stored
    const float16 dh = vload16(0, dh_out + ((size_t)seq * T + t) * H + k0) + vload16(0, carry + s) + rec;
    if (t >= (int)lengths[seq]) {
        for (int q = 0; q < 4; q++) store16(dgates + row + q * H, (float16)(0.0f), count, 0.0f);
        store16(carry + s, dh, count, 0.0f);
        return;
    }
    const float16 i = vload16(0, gates + row), f = vload16(0, gates + row + H), o = vload16(0, gates + row + 2 * H), v = vload16(0, gates + row + 3 * H);
    const size_t prev = ((size_t)seq * (T + 1) + t) * H + k0;
    const float16 tc = tanh_exp16(vload16(0, c + prev + H));
    const float16 dct = fma(dh * o, 1.0f - tc * tc, vload16(0, dc + s));
    store16(dgates + row, dct * v * i * (1.0f - i), count, 0.0f);
    store16(dgates + row + H, dct * vload16(0, c + prev) * f * (1.0f - f), count, 0.0f);
    store16(dgates + row + 2 * H, dh * tc * o * (1.0f - o), count, 0.0f);
    store16(dgates + row + 3 * H, dct * i * (1.0f - v * v), count, 0.0f);
    store16(dc + s, dct * f, count, 0.0f);
    store16(carry + s, (float16)(0.0f), count, 0.0f);
}

// Backward through step t: the gradient reaching h_t from step t+1, dG_{t+1} · Whᵀ (Whᵀ in panels of
// 32 units; nothing at the last step, recurrent = 0), then the cell's backward pass, for 8 sequences
// x 32 units per work-item. carry holds what flows on unchanged past a sequence's end.
__kernel void lstm_step_backward(const int B, const int T, const int H, const int t, const int recurrent,
                                 __global const float* packed, __global const float* gates, __global const float* c,
                                 __global const float* dh_out, __global float* dc, __global float* dgates, __global float* carry,
                                 __global const float* lengths)
{
    const int ib = get_global_id(0), u = get_global_id(1);
    if (ib * 8 >= B || u * 32 >= H) return;
    float16 lo[8], hi[8];
    #pragma unroll
    for (int r = 0; r < 8; r++) { lo[r] = (float16)(0.0f); hi[r] = (float16)(0.0f); }
    if (recurrent) {
        const __global float* a[8];
        #pragma unroll
        for (int r = 0; r < 8; r++) a[r] = dgates + ((size_t)min(ib * 8 + r, B - 1) * T + t + 1) * 4 * H;
        const __global float* b = packed + (size_t)u * 4 * H * 32;
        for (int p = 0; p < 4 * H; p++, b += 32) {
            const float16 b0 = vload16(0, b), b1 = vload16(1, b);
            #pragma unroll
            for (int r = 0; r < 8; r++) { lo[r] = fma((float16)a[r][p], b0, lo[r]); hi[r] = fma((float16)a[r][p], b1, hi[r]); }
        }
    }
    const int k0 = u * 32;
    for (int r = 0; r < 8; r++) {
        const int seq = ib * 8 + r;
        if (seq >= B) break;
        lstm_cell_backward16(T, H, t, seq, k0, lo[r], min(16, H - k0), gates, c, dh_out, dc, dgates, carry, lengths);
        if (H - k0 > 16)
            lstm_cell_backward16(T, H, t, seq, k0 + 16, hi[r], min(16, H - k0 - 16), gates, c, dh_out, dc, dgates, carry, lengths);
    }
}

// The GPU route's backward cell (Ops/Lstm.cs): rec, the product dG_{t+1} · Whᵀ, comes from the tiled
// product (none at the last step); 16 units of one sequence per work-item.
__kernel void lstm_cell_backward(const int B, const int T, const int H, const int t, const int recurrent,
                                 __global const float* rec, __global const float* gates, __global const float* c,
                                 __global const float* dh_out, __global float* dc, __global float* dgates, __global float* carry,
                                 __global const float* lengths)
{
    const int k0 = get_global_id(0) * 16, seq = get_global_id(1);
    if (k0 >= H || seq >= B) return;
    const float16 product = recurrent ? vload16(0, rec + seq * H + k0) : (float16)(0.0f);   // lanes past H: never stored
    lstm_cell_backward16(T, H, t, seq, k0, product, min(16, H - k0), gates, c, dh_out, dc, dgates, carry, lengths);
}
