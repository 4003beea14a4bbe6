// Optimiser updates on the flat parameter vector t (P values) with its gradient gs D: D is
// Delta / m regularised by scale_gradient (gs = 1), or, when lambda is 0, Delta itself with
// gs = 1 / m, which spares the scaling launches. One work-item per parameter; below D means gs D.
//
//   sgd_update        t -= lr D
//   momentum_update   v = mu v - lr D;  t += v
//   adam_update       m = b1 m + (1 - b1) D;  v = b2 v + (1 - b2) D^2;
//                     t -= step m / (sqrt(v) scale + eps),  step = lr / (1 - b1^t), scale = 1 / sqrt(1 - b2^t)

__kernel void sgd_update(const int P, __global float* t, __global const float* D, const float gs,
                         const float lr) {
  const int p = get_global_id(0);
  if (p < P) t[p] -= lr * (gs * D[p]);
}

__kernel void momentum_update(const int P, __global float* t, __global const float* D, const float gs,
                              __global float* v, const float lr, const float mu) {
  const int p = get_global_id(0);
  if (p >= P) return;
  const float vp = mu * v[p] - lr * (gs * D[p]);
  v[p] = vp;
  t[p] += vp;
}

__kernel void adam_update(const int P, __global float* t, __global const float* D, const float gs,
                          __global float* m, __global float* v, const float b1, const float b2, const float eps,
                          const float step, const float scale) {
  const int p = get_global_id(0);
  if (p >= P) return;
  const float d = gs * D[p];
  const float mp = b1 * m[p] + (1.0f - b1) * d;
  const float vp = b2 * v[p] + (1.0f - b2) * d * d;
  m[p] = mp;
  v[p] = vp;
  t[p] -= step * mp / (sqrt(vp) * scale + eps);
}
