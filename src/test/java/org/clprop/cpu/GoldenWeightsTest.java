package org.clprop.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.clprop.Trainer;
import org.clprop.backend.BackendKind;
import org.clprop.data.Dataset;
import org.clprop.data.Digits;
import org.clprop.optim.Optimizer;
import org.clprop.testutil.ChildJvm;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The exact final weights of three trainings on the CPU backend, pinned as SHA-256 digests of their
 * float32 bits, recorded before the backend was reorganised: a change meant to leave behaviour
 * alone must leave these alone. Together they take every optimisation's path: the narrow output
 * layer's dot products, the input layer held transposed, zero-pixel skipping, grouping by label
 * (hidden layers of 512), the panel copies, and the split over two threads.
 * {@code main} prints the digests of the current code, for recording.
 */
class GoldenWeightsTest {
  /** A training: its name, its settings and its data. */
  record Config(String name, Trainer.Builder builder, Dataset data) {}

  static List<Config> configs() {
    return List.of(
        new Config("digits 64-32-10 adam b32 lambda 0.1", Trainer.builder().layers(64, 32, 10)
            .optimizer(Optimizer.adam(0.01)).batchSize(32).epochs(3).lambda(0.1).seed(5), Digits.load()),
        new Config("pixels 784-128-10 momentum b128", Trainer.builder().layers(784, 128, 10)
            .optimizer(Optimizer.momentum(0.1, 0.9)).batchSize(128).epochs(2).seed(7), pixels(3000, 11)),
        new Config("pixels 784-512-256-10 adam b256 lambda 1", Trainer.builder().layers(784, 512, 256, 10)
            .optimizer(Optimizer.adam(0.003)).batchSize(256).epochs(1).lambda(1).seed(9), pixels(1536, 13)));
  }

  /** Digest of the weights after training {@code c} on the CPU backend with two threads. */
  static String digest(Config c) {
    try (Trainer t = c.builder().backend(BackendKind.CPU).threads(2).build()) {
      t.fit(c.data());
      float[] w = t.network().toFlatFloats();
      ByteBuffer b = ByteBuffer.allocate(w.length * 4);
      for (float v : w) {
        b.putInt(Float.floatToRawIntBits(v));
      }
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Image-like examples of 28 x 28 bytes: a black margin of random width around a block of random
   * grey levels, so that whole strips of pixels are zero as in Fashion-MNIST; labels 0..9.
   */
  static Dataset pixels(int m, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] px = new byte[m * 784];
    int[] y = new int[m];
    for (int i = 0; i < m; i++) {
      y[i] = r.nextInt(10);
      int margin = 2 + r.nextInt(6);
      for (int row = margin; row < 28 - margin; row++) {
        for (int col = margin + y[i] % 3; col < 28 - margin; col++) {
          px[i * 784 + row * 28 + col] = (byte) (r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(255));
        }
      }
    }
    return Dataset.ofPixels(px, y, 784, 10);
  }

  /**
   * Digests by SIMD width in float lanes: a product's results do not depend on it, but a few
   * element-wise kernels' do. Each width is checked in a child JVM capped at it
   * ({@code -XX:MaxVectorSize}), so that every x86-64 machine checks both.
   */
  private static final Map<Integer, List<String>> RECORDED = Map.of(
      8, List.of("3082616a87229653df185edb6b6b18d036217aa9a97c9622650bedd01b6a64c6",
          "9b6bcd57192a040a0c879c6c7b7e9fba046773715cbe6558bc81a44e83ad34db",
          "e3a56e81e8ae1a7103f2489d5baf4cd5ad5dee2285c358f4df8efa50f1f0bdce"),
      4, List.of("9378ddb904d169d8a7897cf5234e09e5c1ea3a5b65ca2f07be63634c2368562a",
          "bb8e622b83617a42050c4c220a3f9d954914138789a7f79841a30e6d22e85992",
          "e61108149be929f0860d7392c49c106170c58fc3bee0de1f1ca596652e6d6cbe"));

  @Test
  void finalWeightsAreBitwiseThoseRecorded() throws IOException, InterruptedException {
    for (int bytes : new int[] {32, 16}) {
      List<String> cmd = new ArrayList<>(ChildJvm.command(GoldenWeightsTest.class));
      cmd.add(1, "-XX:MaxVectorSize=" + bytes);
      ChildJvm.Result r = ChildJvm.run(cmd, Map.of(), 300);
      assertEquals(0, r.code(), r.toString());
      List<String> lines = r.out().lines().toList();
      int lanes = Integer.parseInt(lines.get(0).replace("lanes ", ""));
      List<String> want = RECORDED.get(lanes);
      Assumptions.assumeTrue(want != null, "no digests recorded for " + lanes + " float lanes");
      List<Config> configs = configs();
      for (int i = 0; i < configs.size(); i++) {
        assertEquals(configs.get(i).name() + " " + want.get(i), lines.get(i + 1), lanes + " lanes");
      }
    }
  }

  /** Prints the SIMD width in float lanes, then each configuration's name and digest. */
  public static void main(String[] args) {
    System.out.println("lanes " + FloatVector.SPECIES_PREFERRED.length());
    for (Config c : configs()) {
      System.out.println(c.name() + " " + digest(c));
    }
  }
}
