// Matrix products with a fused epilogue:
//   C(i,j) = act(alpha * sum_p A(i,p) B(p,j) + bias) + beta * C(i,j)
// Every operand is addressed through strides, so the host (Ops/Gemm.cs) can hand over transposed
// matrices without copying them and pick the kernel whose memory access suits the strides.
// bias_mode: 0 none, 1 one bias per column (bias[j]), 2 one bias per row (bias[i]).

#define GEMM_ROWS 4

// B and C contiguous along j. A work-item computes GEMM_ROWS rows x 16 columns in float16
// accumulators: one broadcast A value per row and one float16 load of B per step of p.
__kernel void gemm_cols(const int M, const int N, const int K,
                        __global const float* A, const int sa0, const int sa1,
                        __global const float* B, const int sb0,
                        __global float* C, const int sc0,
                        __global const float* bias, const int bias_mode,
                        const float alpha, const float beta, const int act)
{
    const int j0 = get_global_id(0) * 16;
    const int i0 = get_global_id(1) * GEMM_ROWS;
    if (j0 >= N || i0 >= M) return;

    int arow[GEMM_ROWS];
    for (int r = 0; r < GEMM_ROWS; r++) arow[r] = min(i0 + r, M - 1) * sa0;   // rows past M repeat the last one; never stored

    float16 acc[GEMM_ROWS];
    for (int r = 0; r < GEMM_ROWS; r++) acc[r] = (float16)(0.0f);
    for (int p = 0; p < K; p++) {
        const float16 b = vload16(0, B + p * sb0 + j0);   // lanes past N read the buffer's padding; never stored
        const __global float* ap = A + p * sa1;
        for (int r = 0; r < GEMM_ROWS; r++) acc[r] = fma((float16)(ap[arow[r]]), b, acc[r]);
    }

    const int count = min(16, N - j0);
    for (int r = 0; r < GEMM_ROWS; r++) {
        const int i = i0 + r;
        if (i >= M) break;
        float16 v = alpha * acc[r];
        if (bias_mode == 1) v += vload16(0, bias + j0);
        else if (bias_mode == 2) v += bias[i];
        v = activate16(v, act);
        __global float* c = C + i * sc0 + j0;
        if (count == 16) {
            if (beta != 0.0f) v += beta * vload16(0, c);
            vstore16(v, 0, c);
        } else {
            store_partial16(c, v, count, beta);
        }
    }
}

#define DOT_COLS 4

// A and B contiguous along p: each output is a dot product of two contiguous rows, taken 16 lanes
// at a time. A work-item computes DOT_COLS outputs of one row and reuses the loaded A vector.
__kernel void gemm_dot(const int M, const int N, const int K,
                       __global const float* A, const int sa0,
                       __global const float* B, const int sb1,
                       __global float* C, const int sc0, const int sc1,
                       __global const float* bias, const int bias_mode,
                       const float alpha, const float beta, const int act)
{
    const int j0 = get_global_id(0) * DOT_COLS;
    const int i = get_global_id(1);
    if (j0 >= N || i >= M) return;

    const __global float* a = A + i * sa0;
    const __global float* b[DOT_COLS];
    for (int c = 0; c < DOT_COLS; c++) b[c] = B + min(j0 + c, N - 1) * sb1;

    float16 acc[DOT_COLS];
    for (int c = 0; c < DOT_COLS; c++) acc[c] = (float16)(0.0f);
    int p = 0;
    for (; p + 16 <= K; p += 16) {
        const float16 av = vload16(0, a + p);
        for (int c = 0; c < DOT_COLS; c++) acc[c] = fma(av, vload16(0, b[c] + p), acc[c]);
    }
    for (int c = 0; c < DOT_COLS; c++) {
        const int j = j0 + c;
        if (j >= N) break;
        float s = sum16(acc[c]);
        for (int q = p; q < K; q++) s = fma(a[q], b[c][q], s);
        s *= alpha;
        if (bias_mode == 1) s += bias[j];
        else if (bias_mode == 2) s += bias[i];
        s = activate(s, act);
        __global float* out = C + i * sc0 + j * sc1;
        *out = beta != 0.0f ? s + beta * *out : s;
    }
}

// Any strides: one work-item per output. Used only when neither vector layout applies.
__kernel void gemm_naive(const int M, const int N, const int K,
                         __global const float* A, const int sa0, const int sa1,
                         __global const float* B, const int sb0, const int sb1,
                         __global float* C, const int sc0, const int sc1,
                         __global const float* bias, const int bias_mode,
                         const float alpha, const float beta, const int act)
{
    const int j = get_global_id(0);
    const int i = get_global_id(1);
    if (j >= N || i >= M) return;
    float s = 0.0f;
    for (int p = 0; p < K; p++) s = fma(A[i * sa0 + p * sa1], B[p * sb0 + j * sb1], s);
    s *= alpha;
    if (bias_mode == 1) s += bias[j];
    else if (bias_mode == 2) s += bias[i];
    s = activate(s, act);
    __global float* out = C + i * sc0 + j * sc1;
    *out = beta != 0.0f ? s + beta * *out : s;
}
