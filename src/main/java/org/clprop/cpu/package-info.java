/**
 * The float32 CPU backend: the algorithm in batch form with SIMD kernels (the incubating Vector
 * API) split over a pool of worker threads. Internal throughout: choose it with
 * {@link org.clprop.backend.BackendKind#CPU}; {@link org.clprop.cpu.CpuBackend} is public only for
 * the library's own packages, benchmarks and tests, and may change without notice.
 */
package org.clprop.cpu;
