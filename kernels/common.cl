// Shared definitions for every clprop kernel. Tunables are -D build options chosen by the host
// (KernelParams); the defaults below let each file compile on its own.
//
// Layouts: every matrix is row-major float32 in a flat buffer, addressed by an element offset and
// a leading dimension (the distance between rows), so that one buffer can hold all the Theta(l)
// and kernels can write into a part of it (for example Delta(l) without its bias column).

#ifndef TS_M
#define TS_M 32   // rows of C per work-group tile
#endif
#ifndef TS_N
#define TS_N 32   // columns of C per work-group tile
#endif
#ifndef TS_K
#define TS_K 16   // depth of the A and B tiles staged in local memory
#endif
#ifndef WPT_M
#define WPT_M 4   // rows of C per work-item (register blocking)
#endif
#ifndef WPT_N
#define WPT_N 4   // columns of C per work-item
#endif
#ifndef RED_WG
#define RED_WG 256 // work-group size of the reductions
#endif

#define RTS_M (TS_M / WPT_M)   // work-items along M in a work-group
#define RTS_N (TS_N / WPT_N)   // work-items along N

// g(z) = 1 / (1 + e^-z)
inline float sigmoid(float z) { return 1.0f / (1.0f + exp(-z)); }

// The hidden layers' g, chosen when the program is built (-D ACTIVATION=n), so that the element-wise
// steps have no per-element branch on it: 0 the sigmoid (default), 1 tanh, 2 ReLU.
//   ACT(z)                 a = g(z)
//   TIMES_ACT_GRAD(v, a)   v .* g'(z), with g' written in terms of a = g(z): a (1 - a), 1 - a^2, [a > 0]
// (ReLU's a > 0 exactly where z > 0; its g' at the kink is taken as 0.)
#ifndef ACTIVATION
#define ACTIVATION 0
#endif
#if ACTIVATION == 0
#define ACT(z) sigmoid(z)
#define TIMES_ACT_GRAD(v, a) ((v) * (a) * (1.0f - (a)))
#elif ACTIVATION == 1
#define ACT(z) tanh(z)
#define TIMES_ACT_GRAD(v, a) ((v) * (1.0f - (a) * (a)))
#elif ACTIVATION == 2
#define ACT(z) ((z) > 0.0f ? (z) : 0.0f)
#define TIMES_ACT_GRAD(v, a) ((a) > 0.0f ? (v) : 0.0f)
#else
#error "ACTIVATION must be 0 (sigmoid), 1 (tanh) or 2 (relu)"
#endif

// The output layer's function, also a build option: one sigmoid per unit (default), or with
// -D OUTPUT_SOFTMAX the softmax over each row, which the product's epilogue cannot apply alone
// (it needs the whole row): the epilogue then stores z and softmax_rows (backprop.cl) normalises.
#ifdef OUTPUT_SOFTMAX
#define OUT(z) (z)
#else
#define OUT(z) sigmoid(z)
#endif

// -y log g(z) - (1 - y) log(1 - g(z)) = softplus(z) - y z, stable for any z
inline float cross_entropy_from_z(float z, float y) {
  return fmax(z, 0.0f) + log1p(exp(-fabs(z))) - y * z;
}
