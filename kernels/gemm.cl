// Matrix products with a fused epilogue:
//   C(i,j) = act(alpha * sum_p A(i,p) B(p,j) + bias) + beta * C(i,j)
// Every operand is addressed through an offset and strides, so the host (Ops/Gemm.cs) can hand over
// transposed matrices and slices (one time step of a sequence) without copying them, and pick the
// kernel whose memory access suits the strides.
// bias_mode: 0 none, 1 one bias per column (bias[j]), 2 one bias per row (bias[i]).

// Register block of gemm_cols: GEMM_ROWS rows x 32 columns, held in 2 * GEMM_ROWS float16 accumulators.
#define GEMM_ROWS 8

// B and C contiguous along j. Per step of p a work-item loads two float16 of B and broadcasts
// one A value per row: 2 * GEMM_ROWS fused multiply-adds per 2 + GEMM_ROWS loads.
__kernel void gemm_cols(const int M, const int N, const int K,
                        __global const float* A, const int sa0, const int sa1,
                        __global const float* B, const int sb0,
                        __global float* C, const int sc0,
                        __global const float* bias, const int bias_mode,
                        const float alpha, const float beta, const int act,
                        const int aoff, const int boff, const int coff)
{
    A += aoff; B += boff; C += coff;
    const int j0 = get_global_id(0) * 32;
    const int i0 = get_global_id(1) * GEMM_ROWS;
    if (j0 >= N || i0 >= M) return;

    int arow[GEMM_ROWS];
    for (int r = 0; r < GEMM_ROWS; r++) arow[r] = min(i0 + r, M - 1) * sa0;   // rows past M repeat the last one; never stored

    float16 lo[GEMM_ROWS], hi[GEMM_ROWS];
    for (int r = 0; r < GEMM_ROWS; r++) { lo[r] = (float16)(0.0f); hi[r] = (float16)(0.0f); }
    const __global float* bp = B + j0;
    const __global float* ap = A;
    for (int p = 0; p < K; p++, bp += sb0, ap += sa1) {
        const float16 b0 = vload16(0, bp), b1 = vload16(1, bp);   // lanes past N read the next row or the padding; never stored
        for (int r = 0; r < GEMM_ROWS; r++) {
            const float16 a = (float16)(ap[arow[r]]);
            lo[r] = fma(a, b0, lo[r]);
            hi[r] = fma(a, b1, hi[r]);
        }
    }

    const int count = min(32, N - j0);
    for (int r = 0; r < GEMM_ROWS; r++) {
        const int i = i0 + r;
        if (i >= M) break;
        __global float* c = C + i * sc0 + j0;
        for (int part = 0; part < 2; part++) {
            const int n = min(16, count - 16 * part);
            if (n <= 0) break;
            store_packed16(c + 16 * part, 1, part == 0 ? lo[r] : hi[r], n, bias, bias_mode, i, j0 + 16 * part, alpha, beta, act);
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
                       const float alpha, const float beta, const int act,
                       const int aoff, const int boff, const int coff)
{
    A += aoff; B += boff; C += coff;
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
                         const float alpha, const float beta, const int act,
                         const int aoff, const int boff, const int coff)
{
    A += aoff; B += boff; C += coff;
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
