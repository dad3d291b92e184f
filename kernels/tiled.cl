// The matrix product for GPUs: C(i,j) = act(alpha * sum_p A(i,p) B(p,j) + bias) + beta * C(i,j), the same
// contract as gemm.cl, computed the way GPUs like it. A work-group of 16x16 work-items owns a 64x64 block
// of C; each step stages a 64x16 slice of A and a 16x64 slice of B in local memory (neighbouring
// work-items load neighbouring addresses, whichever way the operand is stored) and every work-item then
// accumulates a 4x4 block of C from local memory. The CPU kernels (gemm.cl, packed.cl) instead keep one
// work-item's block in float16 registers, which PoCL vectorises, and never touch local memory.
//
// B is either strided (bpanel 0) or in the column panels of pack_b (bpanel = the panel
// width), so that weights packed once for the CPU product are read here unchanged.

#define TILED_BLOCK 64   // rows and columns of C per work-group
#define TILED_DEPTH 16   // values of p staged per step
#define TILED_SIDE  16   // work-items per side of a work-group; each owns TILED_BLOCK / TILED_SIDE = 4 rows and columns

__kernel __attribute__((reqd_work_group_size(TILED_SIDE, TILED_SIDE, 1)))
void gemm_tiled(const int M, const int N, const int K,
                __global const float* A, const int sa0, const int sa1, const int aoff,
                __global const float* B, const int sb0, const int sb1, const int boff, const int bpanel,
                __global float* C, const int sc0, const int sc1, const int coff,
                __global const float* bias, const int bias_mode,
                const float alpha, const float beta, const int act)
{
    // one float of padding per row keeps the column-wise stores from hitting a single memory bank
    __local float a_tile[TILED_DEPTH][TILED_BLOCK + 1];   // a_tile[p][i]
    __local float b_tile[TILED_DEPTH][TILED_BLOCK + 1];   // b_tile[p][j]

    A += aoff; B += boff; C += coff;
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int flat = ty * TILED_SIDE + tx;
    const int i0 = get_group_id(1) * TILED_BLOCK;
    const int j0 = get_group_id(0) * TILED_BLOCK;
    const int group_size = TILED_SIDE * TILED_SIDE;
    const int per_item = TILED_BLOCK * TILED_DEPTH / group_size;   // values each work-item stages per operand
    // consecutive work-items walk the operand's contiguous dimension
    const bool a_along_p = sa1 == 1;
    const bool b_along_j = bpanel > 0 || sb1 == 1;

    float acc[4][4];
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++) acc[r][c] = 0.0f;

    for (int p0 = 0; p0 < K; p0 += TILED_DEPTH) {
        for (int l = 0; l < per_item; l++) {
            const int e = flat + l * group_size;
            const int ai = a_along_p ? e / TILED_DEPTH : e % TILED_BLOCK;
            const int ap = a_along_p ? e % TILED_DEPTH : e / TILED_BLOCK;
            const int i = i0 + ai, pa = p0 + ap;
            a_tile[ap][ai] = i < M && pa < K ? A[i * sa0 + pa * sa1] : 0.0f;

            const int bj = b_along_j ? e % TILED_BLOCK : e / TILED_DEPTH;
            const int bp = b_along_j ? e / TILED_BLOCK : e % TILED_DEPTH;
            const int j = j0 + bj, pb = p0 + bp;
            float b = 0.0f;
            if (j < N && pb < K)
                b = bpanel > 0 ? B[(j / bpanel) * K * bpanel + pb * bpanel + j % bpanel] : B[pb * sb0 + j * sb1];
            b_tile[bp][bj] = b;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < TILED_DEPTH; p++) {
            float a[4], b[4];
            for (int r = 0; r < 4; r++) a[r] = a_tile[p][ty + TILED_SIDE * r];
            for (int c = 0; c < 4; c++) b[c] = b_tile[p][tx + TILED_SIDE * c];
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 4; c++) acc[r][c] = fma(a[r], b[c], acc[r][c]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    // rows and columns interleaved by TILED_SIDE: neighbouring work-items store neighbouring columns
    for (int r = 0; r < 4; r++) {
        const int i = i0 + ty + TILED_SIDE * r;
        if (i >= M) break;
        for (int c = 0; c < 4; c++) {
            const int j = j0 + tx + TILED_SIDE * c;
            if (j >= N) break;
            float s = alpha * acc[r][c];
            if (bias_mode == 1) s += bias[j];
            else if (bias_mode == 2) s += bias[i];
            s = activate(s, act);
            __global float* out = C + i * sc0 + j * sc1;
            *out = beta != 0.0f ? s + beta * *out : s;
        }
    }
}
