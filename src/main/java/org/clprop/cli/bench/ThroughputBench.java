package org.clprop.cli.bench;

import java.util.Arrays;
import java.util.Random;
import org.clprop.backend.Backend;
import org.clprop.core.Network;
import org.clprop.data.Dataset;
import org.clprop.optim.Optimizer;

/**
 * Training throughput of one backend on random data of a given shape: whole epochs of minibatch
 * steps, warm-up epochs excluded, then several timed epochs whose median and spread are reported.
 * Random data costs the same arithmetic as real data of that shape.
 */
public final class ThroughputBench {

  /** The figures of one benchmark: samples/s of each timed run, and the FLOPs of one sample. */
  public record Result(String backend, int[] sizes, int batch, String optimizer, double[] samplesPerSecond,
      double flopsPerSample) {

    public double median() {
      double[] s = samplesPerSecond.clone();
      Arrays.sort(s);
      int n = s.length;
      return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public double min() {
      return Arrays.stream(samplesPerSecond).min().orElse(Double.NaN);
    }

    public double max() {
      return Arrays.stream(samplesPerSecond).max().orElse(Double.NaN);
    }

    /** Arithmetic rate at the median: samples/s times FLOPs per sample. */
    public double gflops() {
      return median() * flopsPerSample / 1e9;
    }

    @Override
    public String toString() {
      return String.format("%s %s batch %d %s: median %.0f samples/s (min %.0f, max %.0f, %d runs), %.1f GFLOP/s",
          backend, Arrays.toString(sizes), batch, optimizer, median(), min(), max(), samplesPerSecond.length,
          gflops());
    }
  }

  private ThroughputBench() {}

  /**
   * FLOPs of one training example: forward 2 s_l s_{l+1} per layer, the gradient product the same,
   * and the hidden-delta product the same for every layer but the first (its delta is never needed).
   */
  public static double flopsPerSample(int[] s) {
    double f = 0;
    for (int l = 0; l + 1 < s.length; l++) {
      double mac = (double) s[l] * s[l + 1];
      f += 2 * mac * (l == 0 ? 2 : 3);
    }
    return f;
  }

  /** Random features in [0, 1) and labels for {@code m} examples of the network's shape. */
  public static Dataset randomData(int[] sizes, int m, long seed) {
    Random r = new Random(seed);
    float[] x = new float[m * sizes[0]];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    int k = sizes[sizes.length - 1];
    int[] y = new int[m];
    for (int i = 0; i < m; i++) {
      y[i] = r.nextInt(k);
    }
    return Dataset.of(x, y, sizes[0], k);
  }

  /**
   * Runs {@code warmup} untimed and {@code runs} timed epochs over {@code data} on {@code backend},
   * each epoch a full pass in batches of {@code batch} followed by a read of the metrics (which
   * waits for a device to finish).
   */
  public static Result run(Backend backend, Dataset data, int batch, Optimizer optimizer, int warmup, int runs) {
    int[] sizes = backend.layerSizes();
    backend.setParameters(Network.initialise(sizes, 1).toFlatFloats());
    backend.setOptimizer(optimizer);
    backend.bindTrainingSet(data, batch);
    int m = data.size();
    int[] order = new int[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    backend.setOrder(order);
    double[] rates = new double[runs];
    for (int r = -warmup; r < runs; r++) {
      long t0 = System.nanoTime();
      for (int from = 0; from < m; from += batch) {
        backend.trainStep(from, Math.min(batch, m - from), 0.0);
      }
      backend.takeMetrics();
      double s = (System.nanoTime() - t0) / 1e9;
      if (r >= 0) {
        rates[r] = m / s;
      }
    }
    return new Result(backend.description(), sizes, batch, optimizer.kind().name().toLowerCase(), rates,
        flopsPerSample(sizes));
  }
}
