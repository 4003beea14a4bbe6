package org.clprop.opencl;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.clprop.Trainer;
import org.clprop.backend.BackendKind;
import org.clprop.testutil.Tensors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Allocations that cannot fit on the device are refused before training, with sizes and a batch that fits. */
class DeviceLimitsTest {

  @Test
  void aBatchTooLargeForTheDeviceIsRefusedWithABatchThatFits() {
    ClDevice d = OpenClTests.device();
    // A hidden layer so wide that 4096 rows of its activations exceed one allocation on this device.
    long wide = d.maxAllocBytes() / (4L * 4096) + 1;
    Assumptions.assumeTrue(wide < 20_000_000, "the device allows allocations too large to exceed cheaply");
    int hidden = (int) wide;
    try (Trainer t = Trainer.builder().layers(8, hidden, 2).backend(BackendKind.OPENCL)
        .device(Integer.toString(d.index())).batchSize(4096).epochs(1).build()) {
      OpenClException e = assertThrows(OpenClException.class, () -> t.fit(Tensors.randomData(4096, 8, 2, 1)));
      assertTrue(e.getMessage().contains("a batch of 4096 rows"), e.getMessage());
      assertTrue(e.getMessage().matches(".*a batch of at most \\d+ rows fits.*"), e.getMessage());
    }
  }

  @Test
  void weightsBeyondOneAllocationAreRefusedWhenTheBackendIsBuilt() {
    ClDevice d = OpenClTests.device();
    long need = d.maxAllocBytes() / 4 / 2 + 1;
    // Two weights per input: 8 bytes an input, so more inputs than maxAlloc / 8 cannot fit.
    Assumptions.assumeTrue(need < Integer.MAX_VALUE / 2 - 8, "the device allows allocations larger than a Java array");
    int inputs = (int) need;
    OpenClException e = assertThrows(OpenClException.class,
        () -> new OpenClBackend(new int[] {inputs, 2, 2}, d).close());
    assertTrue(e.getMessage().contains("parameters needs"), e.getMessage());
    assertTrue(e.getMessage().contains("CL_DEVICE_MAX_MEM_ALLOC_SIZE"), e.getMessage());
  }
}
