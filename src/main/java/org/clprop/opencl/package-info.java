/**
 * The OpenCL backend (JOCL): device discovery, the kernels of {@code kernels/*.cl} and their
 * launchers. API: {@link org.clprop.opencl.OpenCl} (whether OpenCL works here, its devices, and
 * which one a request names), {@link org.clprop.opencl.ClDevice},
 * {@link org.clprop.opencl.OpenClException} and {@link org.clprop.opencl.GpuHardware} (whether a
 * GPU is present at all). Internal: everything else ({@link org.clprop.opencl.OpenClBackend},
 * {@link org.clprop.opencl.ClContext}, {@link org.clprop.opencl.ClBuffer},
 * {@link org.clprop.opencl.ClKernels}, {@link org.clprop.opencl.KernelParams},
 * {@link org.clprop.opencl.KernelProfile}, {@link org.clprop.opencl.KernelSource}), public for the
 * library's own packages, benchmarks and tests; may change without notice. Choose the backend with
 * {@link org.clprop.backend.BackendKind#OPENCL} or {@code AUTO}.
 */
package org.clprop.opencl;
