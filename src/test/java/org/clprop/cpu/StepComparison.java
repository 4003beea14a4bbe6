package org.clprop.cpu;

import java.util.Arrays;
import java.util.Random;
import org.clprop.core.Network;
import org.clprop.data.DataSource;
import org.clprop.data.Dataset;
import org.clprop.optim.Optimizer;

/**
 * Training steps of two variants of the CPU backend in one JVM: both train on the same data and
 * take turns, a chunk of steps each, and the ratio of their times is taken chunk pair by chunk pair,
 * so that the machine's drift cancels (whole processes on a shared VM vary by 30%). Variants:
 * {@code tiles}, 8-row against 4-row register tiles, on random pixels; {@code zeros}, the input
 * layer's products skipping zero inputs against not, on Fashion-MNIST (Debian's
 * dataset-fashion-mnist). Run with {@code tools/bench-tiles} and {@code tools/bench-zeros}.
 */
public final class StepComparison {
  private static final int CHUNK = 20;

  private StepComparison() {}

  /** Arguments: tiles|zeros [layers] [batch] [rounds]. */
  public static void main(String[] args) {
    boolean zeros = args.length > 0 && args[0].equals("zeros");
    if (args.length == 0 || !(zeros || args[0].equals("tiles"))) {
      throw new IllegalArgumentException("first argument: tiles or zeros");
    }
    int[] sizes = Arrays.stream((args.length > 1 ? args[1] : "784,512,256,10").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 60;
    Dataset data = zeros ? DataSource.load("fashion-mnist", null, -1).train() : randomPixels(sizes);
    int m = data.size();
    int[] order = new int[m];
    Arrays.setAll(order, i -> (int) (i * 7919L % m));
    String[] names = zeros ? new String[] {"zeros skipped", "dense"} : new String[] {"8-row tiles", "4-row tiles"};
    CpuBackend[] b = new CpuBackend[2];
    for (int v = 0; v < 2; v++) {
      int threads = Runtime.getRuntime().availableProcessors();
      CpuOptions options = CpuOptions.defaults().without(CpuOptions.Optimisation.ONE_THREAD_START);
      if (zeros && v == 1) {
        options = options.without(CpuOptions.Optimisation.SKIP_ZEROS);
      } else if (!zeros) {
        options = options.with(new VectorKernels(v == 0 ? 8 : 4));
      }
      b[v] = new CpuBackend(sizes, threads, options);
      b[v].setParameters(Network.initialise(sizes, 1).toFlatFloats());
      b[v].setOptimizer(Optimizer.adam(0.001));
      b[v].bindTrainingSet(data, batch);
      b[v].setOrder(order);
    }
    double[][] us = new double[2][rounds];
    double[] ratio = new double[rounds];
    int from = 0;
    for (int round = -10; round < rounds; round++) { // ten rounds of warm-up
      for (int v = 0; v < 2; v++) {
        long t0 = System.nanoTime();
        int f = from;
        for (int s = 0; s < CHUNK; s++) {
          f = f + batch > m ? 0 : f;
          b[v].trainStep(f, batch, 0);
          f += batch;
        }
        if (round >= 0) {
          us[v][round] = (System.nanoTime() - t0) / 1e3 / CHUNK;
        }
      }
      from = (from + CHUNK * batch) % (m - batch);
      if (round >= 0) {
        ratio[round] = us[0][round] / us[1][round];
      }
    }
    if (zeros && !Arrays.equals(b[0].parameters(), b[1].parameters())) {
      throw new AssertionError("skipping zero inputs changed the trained parameters");
    }
    for (CpuBackend backend : b) {
      backend.close();
    }
    for (int v = 0; v < 2; v++) {
      double[] t = us[v].clone();
      Arrays.sort(t);
      System.out.printf("%s: median %.0f us per step (%.0f - %.0f)%n", names[v], t[rounds / 2], t[0], t[rounds - 1]);
    }
    Arrays.sort(ratio);
    System.out.printf("%s, batch %d, %d chunk pairs of %d steps: time ratio %s / %s, median %.3f "
        + "(quartiles %.3f - %.3f)%n", Arrays.toString(sizes), batch, rounds, CHUNK, names[0], names[1],
        ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4]);
  }

  /** Random pixels, about half zero (as in Fashion-MNIST, but scattered), and random labels. */
  private static Dataset randomPixels(int[] sizes) {
    int m = 60_000;
    Random r = new Random(1);
    byte[] px = new byte[m * sizes[0]];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (r.nextBoolean() ? 0 : r.nextInt(256));
    }
    int[] y = new int[m];
    Arrays.setAll(y, i -> r.nextInt(sizes[sizes.length - 1]));
    return Dataset.ofPixels(px, y, sizes[0], sizes[sizes.length - 1]);
  }
}
