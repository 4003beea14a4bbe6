package org.clprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.clprop.backend.BackendKind;
import org.clprop.core.Network;
import org.clprop.data.Digits;
import org.clprop.opencl.ClDevice;
import org.clprop.opencl.OpenCl;
import org.clprop.opencl.OpenClTests;
import org.clprop.opencl.PciBusId;
import org.clprop.testutil.Tensors;
import org.junit.jupiter.api.Test;

/** Spark's GPU addresses to OpenCL devices, and partitions bound to an OpenCL backend. */
class DevicesTest {
  @Test
  void pciBusIdsParseInTheFormsDriversAndToolsWrite() {
    assertEquals(new PciBusId(0, 0x3b, 0, 0), PciBusId.parse("0000:3b:00.0").orElseThrow());
    assertEquals(new PciBusId(0, 0x3b, 0, 0), PciBusId.parse("00000000:3B:00.0").orElseThrow()); // nvidia-smi
    assertEquals(new PciBusId(-1, 0xc1, 0, 1), PciBusId.parse(" c1:00.1 ").orElseThrow());
    assertEquals(new PciBusId(1, 2, 3, 0), PciBusId.parse("0001:02:03").orElseThrow());
    assertEquals("0001:02:1f.7", new PciBusId(1, 2, 0x1f, 7).toString());
    for (String bad : new String[] {"0", "gpu0", "", "0000:3b", "0000:3b:00.8", "zz:00.0", "0000:123:00.0"}) {
      assertTrue(PciBusId.parse(bad).isEmpty(), bad);
    }
  }

  @Test
  void aBusIdNamesOneDeviceWhateverTheFunctionOrAMissingDomain() {
    PciBusId smi = PciBusId.parse("00000000:3B:00.0").orElseThrow();
    assertTrue(smi.sameDevice(new PciBusId(-1, 0x3b, 0, 0)), "AMD's topology has no domain");
    assertTrue(smi.sameDevice(new PciBusId(0, 0x3b, 0, 1)));
    assertFalse(smi.sameDevice(new PciBusId(1, 0x3b, 0, 0)), "another domain");
    assertFalse(smi.sameDevice(new PciBusId(0, 0x3c, 0, 0)), "another bus");
  }

  @Test
  void everyOpenClDeviceWithABusIdIsFoundByIt() {
    ClDevice any = OpenClTests.device();
    for (ClDevice d : OpenCl.discover().devices()) {
      Optional<PciBusId> id = PciBusId.of(d);
      id.ifPresent(bus -> assertEquals(d.index(), bus.findDevice().orElseThrow().index(), bus.toString()));
    }
    assertTrue(any.index() >= 0);
  }

  @Test
  void aGpuAddressWithoutADeviceFailsWithTheReason() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ExecutorBackends.assignedDevice("0000:fe:1f.0"));
    assertTrue(e.getMessage().startsWith("Spark assigned the GPU at PCI 0000:fe:1f.0 but no OpenCL device"),
        e.getMessage());
    e = assertThrows(IllegalStateException.class, () -> ExecutorBackends.assignedDevice("gpu-a"));
    assertEquals("Spark assigned GPU 'gpu-a': neither a PCI bus id nor an index", e.getMessage());
    long gpus = OpenCl.discover().devices().stream().filter(ClDevice::isGpuOrAccelerator).count();
    e = assertThrows(IllegalStateException.class, () -> ExecutorBackends.assignedDevice(String.valueOf(gpus)));
    assertTrue(e.getMessage().startsWith("Spark assigned GPU " + gpus + " but this executor has " + gpus), e.getMessage());
  }

  @Test
  void partitionsOnAnOpenClBackendGiveTheCpuSums() {
    ClDevice device = OpenClTests.device();
    int[] sizes = {64, 33, 10};
    float[] theta = Network.initialise(sizes, 4).toFlatFloats();
    org.apache.spark.rdd.RDD<Row> rows = LocalSpark.frame(Digits.load(), LocalSpark.PARTITIONS).rdd();
    GradientSums cpu = sums(rows, new BackendSpec(sizes, BackendKind.CPU, null), theta);
    GradientSums cl = sums(rows, new BackendSpec(sizes, BackendKind.OPENCL, String.valueOf(device.index())), theta);
    assertEquals(cpu.count(), cl.count());
    assertEquals(cpu.correct(), cl.correct());
    assertEquals(cpu.cost(), cl.cost(), 1e-5 * cpu.cost());
    Tensors.assertClose(cpu.delta(), cl.delta(), 1e-3, 1e-4, "Delta, OpenCL against CPU");
  }

  private static GradientSums sums(org.apache.spark.rdd.RDD<Row> rows, BackendSpec spec, float[] theta) {
    SumsRequest.Binding b = new SumsRequest.Binding(UUID.randomUUID().toString(), spec, "features", "label");
    try (ClusterSums s = new ClusterSums(rows, b, 2)) {
      s.bind();
      return s.full(theta);
    }
  }
}
