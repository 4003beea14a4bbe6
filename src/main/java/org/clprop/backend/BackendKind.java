package org.clprop.backend;

/** Which backend a trainer uses. AUTO prefers an OpenCL GPU or accelerator and falls back to the CPU. */
public enum BackendKind { AUTO, CPU, OPENCL }
