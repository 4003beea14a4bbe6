package org.clprop.backend;

/** Which backend a trainer uses. AUTO prefers an OpenCL GPU or accelerator and falls back to the CPU. */
public enum BackendKind {
  /**
   * The OpenCL GPU or accelerator with the most compute units times clock (or the device named by
   * the trainer's {@code device} setting), else the CPU backend.
   */
  AUTO,
  /** The Java CPU backend: SIMD kernels over a pool of worker threads. */
  CPU,
  /** An OpenCL device; fails with the reason when none is usable. */
  OPENCL
}
