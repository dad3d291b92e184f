// A packed matrix product for large operands, after the recipe measured in notes/roofline.md:
// B is copied into column panels Bp[N/32][K][32] (zero padded) so that the inner loop of a
// work-item reads it contiguously: per step of p two float16 of B (32 columns) and one broadcast
// value of A per row, feeding 16 float16 accumulators. A is read in place, through its strides. No
// local memory and no barriers: PoCL turns this into straight AVX-512 FMAs.
//
// C is usually contiguous along its rows (sc1 == 1: float16 stores); the host may also hand over a
// transposed C (sc1 > 1) when that lets it pack the smaller operand, and then the stores scatter.

// The arguments of both products: A through its strides, B in panels, C through its strides.
#define PACKED_PRODUCT_ARGS                                                                  \
    const int M, const int N, const int K,                                                   \
    __global const float* A, const int sa0, const int sa1, const int aoff,                   \
    __global const float* Bp,                                                                \
    __global float* C, const int sc0, const int sc1, const int coff,                         \
    __global const float* bias, const int bias_mode,                                         \
    const float alpha, const float beta, const int act

// Bp[j/W][p][j%W] = B(p, j) for j < N (0 past N), W the panel width (32, or 16 for narrow products
// where 32-column panels would compute half zeros); B(p, j) = B[p*sb0 + j*sb1]. A work-item fills its share
// of the rows of one panel (SHARE_OF_ITEMS; 16 on a CPU, Gemm.PackRows: with one row each, PoCL's per-work-item
// loop cost more than the copy): float16 copies when B's rows are contiguous, column loads when its columns are
// (and a work-item has several rows), a gather otherwise.
__kernel void pack_b(const int K, const int N, __global const float* B, const int sb0, const int sb1, const int boff,
                     __global float* Bp, const int width)
{
    const int jp = get_global_id(0);
    SHARE_OF_ITEMS(K, 1, p0, end);
    if (jp * width >= N || p0 >= K) return;
    const int j0 = jp * width, count = min(width, N - j0);
    if (sb0 == 1 && sb1 != 1 && end - p0 > 1 && end - p0 <= 16) {
        // a transposed view: B's columns are contiguous, so each column's values of these rows come in one load
        // (lanes past K read on into the next column or the padding; never stored)
        __global float* dst = Bp + ((size_t)jp * K + p0) * width;
        for (int j = 0; j < width; j++) {
            float lanes[16];
            vstore16(j < count ? vload16(0, B + boff + p0 + (size_t)(j0 + j) * sb1) : (float16)(0.0f), 0, lanes);
            for (int r = 0; r < end - p0; r++) dst[(size_t)r * width + j] = lanes[r];
        }
        return;
    }
    for (int p = p0; p < end; p++) {
        const __global float* src = B + boff + (size_t)p * sb0 + (size_t)j0 * sb1;
        __global float* dst = Bp + ((size_t)jp * K + p) * width;
        if (sb1 == 1 && count == width) {
            for (int v = 0; v < width / 16; v++) vstore16(vload16(v, src), v, dst);
        } else {
            for (int j = 0; j < width; j++) dst[j] = j < count ? src[(size_t)j * sb1] : 0.0f;
        }
    }
}

// The 8 columns of the 8 x 8 block whose rows are r0..r7, in three rounds of pairwise shuffles.
void transpose8x8(float8* r0, float8* r1, float8* r2, float8* r3, float8* r4, float8* r5, float8* r6, float8* r7)
{
    const uint8 pairs_lo = (uint8)(0, 8, 1, 9, 4, 12, 5, 13), pairs_hi = (uint8)(2, 10, 3, 11, 6, 14, 7, 15);
    const uint8 quads_lo = (uint8)(0, 1, 8, 9, 4, 5, 12, 13), quads_hi = (uint8)(2, 3, 10, 11, 6, 7, 14, 15);
    const uint8 halves_lo = (uint8)(0, 1, 2, 3, 8, 9, 10, 11), halves_hi = (uint8)(4, 5, 6, 7, 12, 13, 14, 15);
    const float8 t0 = shuffle2(*r0, *r1, pairs_lo), t1 = shuffle2(*r0, *r1, pairs_hi);
    const float8 t2 = shuffle2(*r2, *r3, pairs_lo), t3 = shuffle2(*r2, *r3, pairs_hi);
    const float8 t4 = shuffle2(*r4, *r5, pairs_lo), t5 = shuffle2(*r4, *r5, pairs_hi);
    const float8 t6 = shuffle2(*r6, *r7, pairs_lo), t7 = shuffle2(*r6, *r7, pairs_hi);
    // u: columns (0, 4), (1, 5), (2, 6), (3, 7) of rows 0-3, then of rows 4-7
    const float8 u0 = shuffle2(t0, t2, quads_lo), u1 = shuffle2(t0, t2, quads_hi);
    const float8 u2 = shuffle2(t1, t3, quads_lo), u3 = shuffle2(t1, t3, quads_hi);
    const float8 u4 = shuffle2(t4, t6, quads_lo), u5 = shuffle2(t4, t6, quads_hi);
    const float8 u6 = shuffle2(t5, t7, quads_lo), u7 = shuffle2(t5, t7, quads_hi);
    *r0 = shuffle2(u0, u4, halves_lo); *r4 = shuffle2(u0, u4, halves_hi);
    *r1 = shuffle2(u1, u5, halves_lo); *r5 = shuffle2(u1, u5, halves_hi);
    *r2 = shuffle2(u2, u6, halves_lo); *r6 = shuffle2(u2, u6, halves_hi);
    *r3 = shuffle2(u3, u7, halves_lo); *r7 = shuffle2(u3, u7, halves_hi);
}

// Columns j < count of the 8 x 8 block whose rows are r0..r7, stored where C is transposed (sc0 == 1:
// the block's 8 rows are 8 consecutive floats of each column): alpha * block + beta * C, one float8
// per column instead of 8 scattered floats.
void store_columns8(__global float* c, const int sc1, float8 r0, float8 r1, float8 r2, float8 r3, float8 r4, float8 r5, float8 r6,
                    float8 r7, const int count, const float alpha, const float beta)
{
    transpose8x8(&r0, &r1, &r2, &r3, &r4, &r5, &r6, &r7);
    const float8 columns[8] = { r0, r1, r2, r3, r4, r5, r6, r7 };
    #pragma unroll
    for (int j = 0; j < 8; j++) {
        if (j >= count) break;
        __global float* dst = c + (size_t)j * sc1;
        float8 v = alpha * columns[j];
        if (beta != 0.0f) v += beta * vload8(0, dst);
        vstore8(v, 0, dst);
    }
}

// dst[j, i] = src[i, j] for src [M, N] and dst [N, M], both contiguous along their rows, and when sums
// is given, sums[j] = sum over i of src[i, j] (+ beta * sums[j]): a work-item takes 16 columns down all
// the rows, in 8 x 8 blocks transposed in registers. A product that sums over M (a weight gradient over
// all the rows of a batch) then reads its operand as rows, in long streams that the prefetchers follow,
// instead of a few values from every row; the column sums are the matching bias gradient.
__kernel void transpose16(const int M, const int N, __global const float* src, __global float* dst,
                          __global float* sums, const float beta)
{
    const int j0 = get_global_id(0) * 16;
    if (j0 >= N) return;
    float16 total = (float16)(0.0f);
    for (int i0 = 0; i0 < M; i0 += 8) {
        float16 r[8];   // rows past M repeat the last (never stored or summed); lanes past N: padding or the next row
        #pragma unroll
        for (int k = 0; k < 8; k++) r[k] = vload16(0, src + (size_t)min(i0 + k, M - 1) * N + j0);
        const int count = min(8, M - i0);
        #pragma unroll
        for (int k = 0; k < 8; k++) if (k < count) total += r[k];
        float8 a0 = r[0].lo, a1 = r[1].lo, a2 = r[2].lo, a3 = r[3].lo, a4 = r[4].lo, a5 = r[5].lo, a6 = r[6].lo, a7 = r[7].lo;
        float8 b0 = r[0].hi, b1 = r[1].hi, b2 = r[2].hi, b3 = r[3].hi, b4 = r[4].hi, b5 = r[5].hi, b6 = r[6].hi, b7 = r[7].hi;
        transpose8x8(&a0, &a1, &a2, &a3, &a4, &a5, &a6, &a7);
        transpose8x8(&b0, &b1, &b2, &b3, &b4, &b5, &b6, &b7);
        const float8 columns[16] = { a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7 };
        #pragma unroll
        for (int c = 0; c < 16; c++)
            if (j0 + c < N) store_partial8(dst + (size_t)(j0 + c) * M + i0, columns[c], count);
    }
    if (sums) store16(sums + j0, total, min(16, N - j0), beta);
}

// C(i,j) = act(alpha * sum_p A(i,p) B(p,j) + bias) + beta * C(i,j): A read in place (8 rows
// broadcast per step of p), B from its panels. Three ways to read A, one kernel each, so that the
// inner loop addresses A as simply as its layout allows: any strides (8 row pointers, p * sa1),
// rows contiguous (sa1 == 1: 8 row pointers indexed by p), columns contiguous (sa0 == 1: one pointer,
// the 8 rows at fixed offsets; a weight gradient's transposed operand).
#define PACKED_8x32_KERNEL(name, SETUP_A, LOAD_A, TRANSPOSED_C)                                           \
__kernel void name(PACKED_PRODUCT_ARGS)                                                                   \
{                                                                                                         \
    const int ip = get_global_id(0);                                                                      \
    const int jp = get_global_id(1);                                                                      \
    if (jp * 32 >= N || ip * 8 >= M) return;                                                              \
    SETUP_A                                                                                               \
    const __global float* b = Bp + (size_t)jp * K * 32;                                                   \
    float16 lo0 = 0, lo1 = 0, lo2 = 0, lo3 = 0, lo4 = 0, lo5 = 0, lo6 = 0, lo7 = 0;                       \
    float16 hi0 = 0, hi1 = 0, hi2 = 0, hi3 = 0, hi4 = 0, hi5 = 0, hi6 = 0, hi7 = 0;                       \
    _Pragma("unroll 4")                                                                                   \
    for (int p = 0; p < K; p++, b += 32) {                                                                \
        const float16 b0 = vload16(0, b), b1 = vload16(1, b);                                             \
        lo0 = fma((float16)LOAD_A(0), b0, lo0); hi0 = fma((float16)LOAD_A(0), b1, hi0);                   \
        lo1 = fma((float16)LOAD_A(1), b0, lo1); hi1 = fma((float16)LOAD_A(1), b1, hi1);                   \
        lo2 = fma((float16)LOAD_A(2), b0, lo2); hi2 = fma((float16)LOAD_A(2), b1, hi2);                   \
        lo3 = fma((float16)LOAD_A(3), b0, lo3); hi3 = fma((float16)LOAD_A(3), b1, hi3);                   \
        lo4 = fma((float16)LOAD_A(4), b0, lo4); hi4 = fma((float16)LOAD_A(4), b1, hi4);                   \
        lo5 = fma((float16)LOAD_A(5), b0, lo5); hi5 = fma((float16)LOAD_A(5), b1, hi5);                   \
        lo6 = fma((float16)LOAD_A(6), b0, lo6); hi6 = fma((float16)LOAD_A(6), b1, hi6);                   \
        lo7 = fma((float16)LOAD_A(7), b0, lo7); hi7 = fma((float16)LOAD_A(7), b1, hi7);                   \
    }                                                                                                     \
    const int j0 = jp * 32, count = min(32, N - j0);                                                      \
    if (TRANSPOSED_C && sc0 == 1 && sc1 != 1 && bias_mode == 0 && act == ACT_LINEAR && ip * 8 + 8 <= M) { \
        /* C transposed (a weight gradient computed as its transpose): a float8 per column */              \
        __global float* c = C + coff + (size_t)ip * 8 + (size_t)j0 * sc1;                                 \
        store_columns8(c, sc1, lo0.lo, lo1.lo, lo2.lo, lo3.lo, lo4.lo, lo5.lo, lo6.lo, lo7.lo, count, alpha, beta); \
        store_columns8(c + (size_t)8 * sc1, sc1, lo0.hi, lo1.hi, lo2.hi, lo3.hi, lo4.hi, lo5.hi, lo6.hi, lo7.hi, count - 8, alpha, beta); \
        store_columns8(c + (size_t)16 * sc1, sc1, hi0.lo, hi1.lo, hi2.lo, hi3.lo, hi4.lo, hi5.lo, hi6.lo, hi7.lo, count - 16, alpha, beta); \
        store_columns8(c + (size_t)24 * sc1, sc1, hi0.hi, hi1.hi, hi2.hi, hi3.hi, hi4.hi, hi5.hi, hi6.hi, hi7.hi, count - 24, alpha, beta); \
        return;                                                                                           \
    }                                                                                                     \
    float16 lo[8] = { lo0, lo1, lo2, lo3, lo4, lo5, lo6, lo7 };                                           \
    float16 hi[8] = { hi0, hi1, hi2, hi3, hi4, hi5, hi6, hi7 };                                           \
    if (sc1 == 1 && count == 32 && bias_mode != 2 && act == ACT_LINEAR && ip * 8 + 8 <= M) {               \
        /* whole rows, a bias per column or none, no activation (weight gradients, an LSTM's input */        \
        /* projection): plain stores instead of a call per row, which costs a short product ~40 % */         \
        const float16 bias_lo = bias_mode == 1 ? vload16(0, bias + j0) : (float16)(0.0f);                 \
        const float16 bias_hi = bias_mode == 1 ? vload16(1, bias + j0) : (float16)(0.0f);                 \
        _Pragma("unroll")                                                                                 \
        for (int r = 0; r < 8; r++) {                                                                     \
            __global float* c = C + coff + (size_t)(ip * 8 + r) * sc0 + j0;                               \
            float16 v_lo = fma(alpha, lo[r], bias_lo), v_hi = fma(alpha, hi[r], bias_hi);                 \
            if (beta != 0.0f) { v_lo = fma(beta, vload16(0, c), v_lo); v_hi = fma(beta, vload16(1, c), v_hi); } \
            vstore16(v_lo, 0, c);                                                                         \
            vstore16(v_hi, 1, c);                                                                         \
        }                                                                                                 \
        return;                                                                                           \
    }                                                                                                     \
    for (int r = 0; r < 8; r++) {                                                                         \
        const int i = ip * 8 + r;                                                                         \
        if (i >= M) break;                                                                                \
        __global float* c = C + coff + (size_t)i * sc0 + (size_t)j0 * sc1;                               \
        store_packed16(c, sc1, lo[r], min(16, count), bias, bias_mode, i, j0, alpha, beta, act);          \
        if (count > 16) store_packed16(c + (size_t)16 * sc1, sc1, hi[r], count - 16, bias, bias_mode, i, j0 + 16, alpha, beta, act); \
    }                                                                                                     \
}

// rows past M repeat the last; never stored
#define ROW_POINTERS                                                                                      \
    const __global float *a0 = A + aoff + (size_t)min(ip * 8 + 0, M - 1) * sa0,                           \
                         *a1 = A + aoff + (size_t)min(ip * 8 + 1, M - 1) * sa0,                           \
                         *a2 = A + aoff + (size_t)min(ip * 8 + 2, M - 1) * sa0,                           \
                         *a3 = A + aoff + (size_t)min(ip * 8 + 3, M - 1) * sa0,                           \
                         *a4 = A + aoff + (size_t)min(ip * 8 + 4, M - 1) * sa0,                           \
                         *a5 = A + aoff + (size_t)min(ip * 8 + 5, M - 1) * sa0,                           \
                         *a6 = A + aoff + (size_t)min(ip * 8 + 6, M - 1) * sa0,                           \
                         *a7 = A + aoff + (size_t)min(ip * 8 + 7, M - 1) * sa0;
#define STRIDED_ELEMENT(r) a##r[(size_t)p * sa1]
#define ROW_ELEMENT(r) a##r[p]
// columns contiguous: the block's 8 rows are 8 consecutive floats (M is padded by the buffer when it is not a multiple of 8)
#define COLUMN_POINTER const __global float* a = A + aoff + (size_t)ip * 8;
#define COLUMN_ELEMENT(r) a[(size_t)p * sa1 + r]
// Only the rows kernel stores a transposed C a column at a time (the LSTM's weight gradients, dWᵀ = dGᵀ · x,
// the host passing no bias and no activation there): PoCL compiles the whole program when the kernel cache
// is cold, and the epilogue in all three cost ~2 s of it.
PACKED_8x32_KERNEL(gemm_packed_b, ROW_POINTERS, STRIDED_ELEMENT, 0)
PACKED_8x32_KERNEL(gemm_packed_b_rows, ROW_POINTERS, ROW_ELEMENT, 1)
PACKED_8x32_KERNEL(gemm_packed_b_columns, COLUMN_POINTER, COLUMN_ELEMENT, 0)

// The narrow product: a work-item computes 8 rows x 16 columns (one float16 accumulator per row).
__kernel void gemm_packed_b16(PACKED_PRODUCT_ARGS)
{
    const int ip = get_global_id(0);
    const int jp = get_global_id(1);
    if (jp * 16 >= N || ip * 8 >= M) return;
    // The row loops are unrolled so that a[] and acc[] live in registers: left as loops, PoCL kept the
    // accumulators on the stack and loaded and stored them around every multiply-add (1.7x slower).
    // 8 rows, not 16: 16 row pointers do not fit in x86's general registers and spill.
    const __global float* a[8];
    #pragma unroll
    for (int r = 0; r < 8; r++) a[r] = A + aoff + (size_t)min(ip * 8 + r, M - 1) * sa0;   // rows past M repeat the last; never stored
    const __global float* b = Bp + (size_t)jp * K * 16;
    float16 acc[8];
    #pragma unroll
    for (int r = 0; r < 8; r++) acc[r] = (float16)(0.0f);
    for (int p = 0; p < K; p++, b += 16) {
        const float16 bv = vload16(0, b);
        const size_t q = (size_t)p * sa1;
        #pragma unroll
        for (int r = 0; r < 8; r++) acc[r] = fma((float16)a[r][q], bv, acc[r]);
    }
    const int j0 = jp * 16, count = min(16, N - j0);
    for (int r = 0; r < 8; r++) {
        const int i = ip * 8 + r;
        if (i >= M) break;
        store_packed16(C + coff + (size_t)i * sc0 + (size_t)j0 * sc1, sc1, acc[r], count, bias, bias_mode, i, j0, alpha, beta, act);
    }
}
