package org.clprop.cpu;

import java.util.Arrays;
import java.util.Random;
import org.clprop.core.Network;
import org.clprop.data.Dataset;
import org.clprop.optim.Optimizer;

/**
 * Training steps with 8-row against 4-row register tiles, in one JVM: two CPU backends on the same
 * pixel data take turns, a chunk of steps each, and the ratio of their times is taken chunk pair by
 * chunk pair, so that the machine's drift cancels (whole processes on a shared VM vary by 30%).
 * Run with {@code tools/bench-tiles [layers] [batch] [rounds]}.
 */
public final class TileRowsComparison {
  private static final int CHUNK = 20;

  private TileRowsComparison() {}

  public static void main(String[] args) {
    int[] sizes = Arrays.stream((args.length > 0 ? args[0] : "784,512,256,10").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    int m = 60_000;
    Random r = new Random(1);
    byte[] px = new byte[m * sizes[0]];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (r.nextBoolean() ? 0 : r.nextInt(256)); // about half zero, as in Fashion-MNIST
    }
    int[] y = new int[m];
    Arrays.setAll(y, i -> r.nextInt(sizes[sizes.length - 1]));
    Dataset data = Dataset.ofPixels(px, y, sizes[0], sizes[sizes.length - 1]);
    int[] order = new int[m];
    Arrays.setAll(order, i -> (int) (i * 7919L % m));
    int[] rows = {8, 4};
    CpuBackend[] b = new CpuBackend[2];
    for (int v = 0; v < 2; v++) {
      b[v] = new CpuBackend(sizes, Runtime.getRuntime().availableProcessors(), new VectorKernels(rows[v]));
      b[v].parallelFromTheStart();
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
    for (CpuBackend backend : b) {
      backend.close();
    }
    for (int v = 0; v < 2; v++) {
      double[] t = us[v].clone();
      Arrays.sort(t);
      System.out.printf("%d-row tiles: median %.0f us per step (%.0f - %.0f)%n", rows[v], t[rounds / 2], t[0],
          t[rounds - 1]);
    }
    Arrays.sort(ratio);
    System.out.printf("%s, batch %d, %d chunk pairs of %d steps: time ratio 8-row / 4-row, median %.3f "
        + "(quartiles %.3f - %.3f)%n", Arrays.toString(sizes), batch, rounds, CHUNK, ratio[rounds / 2],
        ratio[rounds / 4], ratio[3 * rounds / 4]);
  }
}
