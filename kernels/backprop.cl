// The element-wise and reduction steps of backpropagation around the matrix products.
//
// Shapes: n rows in the batch, K outputs, P parameters in all; Theta(l) is (out, in+1) with the
// bias as column 0, stored row-major at an element offset in one flat buffer.
//
//   gather_rows     X(n, f) = Xall[order[from + i], :]               the minibatch, from resident data
//   softmax_rows    A(i, :) = softmax(Z(i, :)), the output layer's a with -D OUTPUT_SOFTMAX
//   output_delta    d(L) = a(L) - y;  hit_i = (argmax a(L) == y);  cost_i = sum_k softplus(z) - y z
//                   (sigmoid outputs), or logsumexp(z) - z_label = -log a_label (softmax outputs)
//   column_sum      Delta(l)[:, 0] = beta * Delta(l)[:, 0] + sum_i d(l+1)(i, :)   bias gradient
//   scale_gradient  D = Delta / m + (lambda / m) Theta off the bias column (column 0 gets Delta / m)
//   reduce_metrics  out[2s] = sum_i cost_i, out[2s+1] = sum_i hit_i    one work-group, slot s
//   sum_squares     out[slot] = sum over c >= 1 of Theta(l)(j, c)^2     one work-group

__kernel void gather_rows(__global const float* Xall, __global const int* order, const int from,
                          const int n, const int f, __global float* X) {
  const int c = get_global_id(0);
  const int i = get_global_id(1);
  if (c < f && i < n) X[i * f + c] = Xall[(long) order[from + i] * f + c];
}

__kernel void gather_labels(__global const int* labels, __global const int* order, const int from,
                            const int n, __global int* y) {
  const int i = get_global_id(0);
  if (i < n) y[i] = labels[order[from + i]];
}

// The largest of Z(i, 0 .. K): the shift that keeps softmax's and logsumexp's exponents <= 0.
inline float row_max(__global const float* Zi, const int K) {
  float m = Zi[0];
  for (int k = 1; k < K; k++) m = fmax(m, Zi[k]);
  return m;
}

// One work-item per example i: A and Z are (n, K); A(i, k) = e^(z_k - max) / sum_j e^(z_j - max).
__kernel void softmax_rows(const int n, const int K, __global const float* Z, __global float* A) {
  const int i = get_global_id(0);
  if (i >= n) return;
  __global const float* Zi = Z + (long) i * K;
  const float m = row_max(Zi, K);
  float sum = 0.0f;
  for (int k = 0; k < K; k++) sum += exp(Zi[k] - m);
  for (int k = 0; k < K; k++) A[(long) i * K + k] = exp(Zi[k] - m) / sum;
}

// One work-item per example i: A, Z and D are (n, K); y holds labels 0..K-1.
__kernel void output_delta(const int n, const int K, __global const float* A, __global const float* Z,
                           __global const int* y, __global float* D, __global float* cost,
                           __global float* hit) {
  const int i = get_global_id(0);
  if (i >= n) return;
  const int label = y[i];
  float sum = 0.0f;
  int best = 0;
  float bestA = A[i * K];
  for (int k = 0; k < K; k++) {
    const float a = A[i * K + k];
    const float t = k == label ? 1.0f : 0.0f;
#ifndef OUTPUT_SOFTMAX
    sum += cross_entropy_from_z(Z[i * K + k], t);
#endif
    D[i * K + k] = a - t;
    if (a > bestA) { bestA = a; best = k; }
  }
#ifdef OUTPUT_SOFTMAX
  // -log a_label = log sum_k e^(z_k) - z_label, from z: no log of a probability rounded to 0.
  __global const float* Zi = Z + (long) i * K;
  const float m = row_max(Zi, K);
  float e = 0.0f;
  for (int k = 0; k < K; k++) e += exp(Zi[k] - m);
  sum = log(e) + m - Zi[label];
#endif
  cost[i] = sum;
  hit[i] = best == label ? 1.0f : 0.0f;
}

// One work-item per output unit j: D is (n, out); G points at Theta(l)'s layout (ldg = in + 1).
__kernel void column_sum(const int n, const int out, __global const float* D, __global float* G,
                         const int goff, const int ldg, const float beta) {
  const int j = get_global_id(0);
  if (j >= out) return;
  float s = 0.0f;
  for (int i = 0; i < n; i++) s += D[i * out + j];
  const int at = goff + j * ldg;
  G[at] = beta == 0.0f ? s : s + beta * G[at];
}

// One work-item per parameter of Theta(l), (rows, cols) at offset off in both buffers.
__kernel void scale_gradient(const int rows, const int cols, const int off, __global float* G,
                             __global const float* T, const float inv_m, const float reg) {
  const int p = get_global_id(0);
  if (p >= rows * cols) return;
  const int at = off + p;
  const float g = G[at] * inv_m;
  G[at] = (p % cols) == 0 ? g : g + reg * T[at];
}

// Tree sum in local memory of one work-group of RED_WG work-items.
inline float group_sum(float v, __local float* scratch) {
  const int lid = get_local_id(0);
  barrier(CLK_LOCAL_MEM_FENCE);   // a previous call's readers of scratch[0] are done
  scratch[lid] = v;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = RED_WG / 2; s > 0; s >>= 1) {
    if (lid < s) scratch[lid] += scratch[lid + s];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  return scratch[0];
}

// Launched as one work-group: sums cost[0..n) and hit[0..n) into out[2 slot] and out[2 slot + 1].
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void reduce_metrics(const int n, __global const float* cost, __global const float* hit,
                    __global float* out, const int slot) {
  __local float scratch[RED_WG];
  float c = 0.0f, h = 0.0f;
  for (int i = get_local_id(0); i < n; i += RED_WG) { c += cost[i]; h += hit[i]; }
  c = group_sum(c, scratch);
  h = group_sum(h, scratch);
  if (get_local_id(0) == 0) { out[2 * slot] = c; out[2 * slot + 1] = h; }
}

// Launched as one work-group: out[slot] = sum of squares of Theta(l) (rows, cols at off), c >= 1.
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void sum_squares(const int rows, const int cols, const int off, __global const float* T,
                 __global float* out, const int slot) {
  __local float scratch[RED_WG];
  float s = 0.0f;
  for (int p = get_local_id(0); p < rows * cols; p += RED_WG) {
    if (p % cols != 0) { const float t = T[off + p]; s += t * t; }
  }
  s = group_sum(s, scratch);
  if (get_local_id(0) == 0) out[slot] = s;
}
