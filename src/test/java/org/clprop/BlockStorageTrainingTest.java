package org.clprop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.clprop.backend.BackendKind;
import org.clprop.optim.Optimizer;
import org.clprop.config.Settings;
import org.clprop.data.DataSource;
import org.clprop.data.Dataset;
import org.clprop.data.DatasetFiles;
import org.clprop.model.FeatureScaling;
import org.clprop.model.ModelSpec.Scaling;
import org.clprop.opencl.OpenClTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training set stored in many small blocks, in the heap or memory-mapped from .npy files, trains
 * to the same weights as the same examples held in one array: bitwise on the CPU backend, with full
 * and with block shuffling, for float features and for pixel bytes; and on OpenCL, both resident
 * and streamed. The block size is lowered by {@link Settings#DATA_BLOCK_BYTES} so that a set of a
 * few hundred examples crosses dozens of blocks.
 */
class BlockStorageTrainingTest {
  @TempDir
  Path dir;

  @AfterEach
  void clearSettings() {
    System.clearProperty(Settings.DATA_BLOCK_BYTES.property());
    System.clearProperty(Settings.DATA_MAP.property());
    System.clearProperty(Settings.STREAM.property());
  }

  /** The digits' training part in one float array (1438 x 64), as loaded with default settings. */
  private static Dataset digits() {
    Dataset d = DataSource.load("digits").train();
    return Dataset.of(d.x().clone(), d.labels().clone(), d.features(), d.classes());
  }

  /** 600 random 7x7 images, pixel bytes in one array; labels from the pixel sums, so there is something to learn. */
  private static Dataset pixels() {
    Random r = new Random(16);
    int m = 600;
    int w = 49;
    byte[] px = new byte[m * w];
    int[] y = new int[m];
    for (int i = 0; i < m; i++) {
      int sum = 0;
      for (int c = 0; c < w; c++) {
        int v = r.nextInt(4) == 0 ? 0 : r.nextInt(256);
        px[i * w + c] = (byte) v;
        sum += c < 24 ? v : -v;
      }
      y[i] = sum > 0 ? 1 : 0;
    }
    return Dataset.ofPixels(px, y, w, 2);
  }

  /** {@code data} written as x.npy, y.npy and read back in blocks of {@code rowsPerBlock} rows, mapped or not. */
  private Dataset stored(Dataset data, int rowsPerBlock, boolean mapped, String name) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(name));
    DatasetFiles.folder(data, null, folder);
    int rowBytes = data.features() * (data.isPixels() ? 1 : 4);
    System.setProperty(Settings.DATA_BLOCK_BYTES.property(), Integer.toString(rowsPerBlock * rowBytes));
    System.setProperty(Settings.DATA_MAP.property(), mapped ? "always" : "never");
    Dataset d = DataSource.load(folder.toString()).train();
    assertEquals(!mapped, d.inHeap(), name + ": " + d.origin());
    assertEquals(rowsPerBlock, d.shuffleBlockRows(), name);
    assertEquals(data.size(), d.size());
    return d;
  }

  private static float[] train(BackendKind kind, String device, Dataset data, Shuffling shuffling) {
    Trainer.Builder b = Trainer.builder().layers(data.features(), 16, data.classes()).backend(kind).device(device);
    if (kind == BackendKind.CPU) {
      b.threads(2);
    }
    try (Trainer t = b.optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(3).seed(7).shuffling(shuffling).build()) {
      t.fit(data);
      return t.network().toFlatFloats();
    }
  }

  @Test
  void cpuWeightsAreBitwiseTheSameWhereverTheRowsAreStored() throws IOException {
    for (Dataset data : new Dataset[] {digits(), pixels()}) {
      String kind = data.isPixels() ? "pixels" : "floats";
      // 13 rows a block: 111 blocks of the digits, 47 of the pixels; neither count divides the set.
      Dataset heap = stored(data, 13, false, kind + "-heap");
      Dataset mapped = stored(data, 13, true, kind + "-mapped");
      assertTrue(mapped.origin().contains("mapped"), mapped.origin());
      for (Shuffling how : new Shuffling[] {Shuffling.full(), Shuffling.blocks(3), Shuffling.auto()}) {
        String what = kind + ", " + how;
        float[] expected = train(BackendKind.CPU, null, data, how);
        assertArrayEquals(expected, train(BackendKind.CPU, null, heap, how), what + ": in blocks in the heap");
        if (how.kind() != Shuffling.Kind.AUTO) {
          assertArrayEquals(expected, train(BackendKind.CPU, null, mapped, how), what + ": mapped");
        } else {
          // AUTO: full shuffle in the heap, block shuffle for a mapped set.
          assertArrayEquals(train(BackendKind.CPU, null, data, Shuffling.blocks(Shuffling.DEFAULT_WINDOW)),
              train(BackendKind.CPU, null, mapped, how), what + ": mapped");
        }
      }
      assertFalse(java.util.Arrays.equals(train(BackendKind.CPU, null, data, Shuffling.full()),
          train(BackendKind.CPU, null, data, Shuffling.blocks(3))), kind + ": block and full shuffles differ");
    }
  }

  /** Standard scaling of a mapped set is a view that scales each row as read: no heap copy, the same weights. */
  @Test
  void scaledMappedSetsStayMappedAndTrainAlike() throws IOException {
    Dataset data = digits();
    Dataset mapped = stored(data, 13, true, "scaled-mapped");
    Scaling s = FeatureScaling.learn(Scaling.Kind.STANDARD, data);
    Dataset view = FeatureScaling.apply(s, mapped);
    assertFalse(view.inHeap(), view.origin());
    assertTrue(view.origin().contains("scaling as read"), view.origin());
    assertArrayEquals(FeatureScaling.apply(s, data).row(5), view.row(5));
    assertEquals(FeatureScaling.apply(s, data).feature(700, 33), view.slice(650, 760).feature(50, 33));
    for (Shuffling how : new Shuffling[] {Shuffling.full(), Shuffling.blocks(3)}) {
      assertArrayEquals(trainScaled(data, how), trainScaled(mapped, how), how + ": scaled, mapped against in memory");
    }
  }

  private static float[] trainScaled(Dataset data, Shuffling how) {
    try (Trainer t = Trainer.builder().layers(data.features(), 16, data.classes()).backend(BackendKind.CPU).threads(2)
        .scaling(Scaling.Kind.STANDARD).optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(2).seed(7)
        .shuffling(how).build()) {
      t.fit(data);
      return t.network().toFlatFloats();
    }
  }

  @Test
  void openClTrainsOnMappedSetsResidentAndStreamed() throws IOException {
    String device = Integer.toString(OpenClTests.device().index());
    for (Dataset data : new Dataset[] {digits(), pixels()}) {
      String kind = data.isPixels() ? "pixels" : "floats";
      Dataset mapped = stored(data, 13, true, kind + "-mapped");
      for (boolean stream : new boolean[] {false, true}) {
        System.setProperty(Settings.STREAM.property(), Boolean.toString(stream));
        String what = kind + (stream ? ", streamed" : ", resident");
        float[] expected = train(BackendKind.OPENCL, device, data, Shuffling.blocks(3));
        float[] got = train(BackendKind.OPENCL, device, mapped, Shuffling.blocks(3));
        // The same rows in the same order: only the device's reductions may differ between runs.
        for (int i = 0; i < expected.length; i++) {
          assertEquals(expected[i], got[i], 1e-4f, what + ": parameter " + i);
        }
        float[] cpu = train(BackendKind.CPU, null, mapped, Shuffling.blocks(3));
        double diff = 0;
        for (int i = 0; i < cpu.length; i++) {
          diff = Math.max(diff, Math.abs(cpu[i] - got[i]));
        }
        assertTrue(diff < 0.05, what + ": OpenCL and CPU weights differ by up to " + diff);
      }
    }
  }
}
