package org.clprop.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The CPU training step of two builds of clprop in one JVM: each build's classes in a class loader
 * of their own, the two backends taking turns, a chunk of steps each, and the ratio of their times
 * taken chunk pair by chunk pair, so that the machine's drift falls on both (whole processes on a
 * shared machine vary far more than a pair of chunks). Random data of Fashion-MNIST's shape, Adam,
 * 2 threads; or, with {@code cpu}, one thread timed by its CPU time, which the other processes of
 * an oversubscribed machine do not add to (they still share its caches). Run with
 * {@code tools/bench-ab --steps} or {@code --cpu-time}.
 *
 * <p>Arguments: DIR_A DIR_B layers(784-128-10) batch [rounds [cpu]]; each DIR a checkout whose
 * target/classes and target/test-classpath.txt are built (tools/bench builds them).
 */
public final class BuildComparison {
  private static final int CHUNK = 20;
  private static final int EXAMPLES = 8192;

  private BuildComparison() {}

  public static void main(String[] args) throws Exception {
    int[] sizes = Arrays.stream(args[2].split("[,-]")).mapToInt(Integer::parseInt).toArray();
    int batch = Integer.parseInt(args[3]);
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 60;
    boolean cpuTime = args.length > 5 && args[5].equals("cpu");
    int threads = cpuTime ? 1 : 2;
    ThreadMXBean clock = ManagementFactory.getThreadMXBean();
    Random r = new Random(1);
    float[] x = new float[EXAMPLES * sizes[0]];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat();
    }
    int classes = sizes[sizes.length - 1];
    int[] y = new int[EXAMPLES];
    Arrays.setAll(y, i -> r.nextInt(classes));
    Step[] b = {new Step(Path.of(args[0]), sizes, x, y, batch, threads),
        new Step(Path.of(args[1]), sizes, x, y, batch, threads)};
    double[] ratio = new double[rounds];
    double[][] us = new double[2][rounds];
    for (int round = -10; round < rounds; round++) { // ten rounds of warm-up
      for (int turn = 0; turn < 2; turn++) {
        int v = (round & 1) == 0 ? turn : 1 - turn;
        long t0 = cpuTime ? clock.getCurrentThreadCpuTime() : System.nanoTime();
        b[v].steps(CHUNK);
        if (round >= 0) {
          us[v][round] = ((cpuTime ? clock.getCurrentThreadCpuTime() : System.nanoTime()) - t0) / 1e3 / CHUNK;
        }
      }
      if (round >= 0) {
        ratio[round] = us[0][round] / us[1][round];
      }
    }
    for (Step s : b) {
      s.close();
    }
    for (int v = 0; v < 2; v++) {
      double[] t = us[v].clone();
      Arrays.sort(t);
      System.out.printf("%s: median %.0f us per step (%.0f - %.0f)%n", v == 0 ? "A" : "B", t[rounds / 2], t[0],
          t[rounds - 1]);
    }
    Arrays.sort(ratio);
    System.out.printf("%s, batch %d, %s, %d chunk pairs of %d steps: speed B / A (time A / time B) median %.3f "
        + "(quartiles %.3f - %.3f, min %.3f, max %.3f)%n", Arrays.toString(sizes), batch,
        cpuTime ? "1 thread, CPU time" : "2 threads, wall time", rounds, CHUNK,
        ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4], ratio[0], ratio[rounds - 1]);
  }

  /** One build's CpuBackend, bound to the data, driven by reflection (its classes are its own). */
  private static final class Step {
    private final Object backend;
    private final Method trainStep;
    private final Method close;
    private final int batch;
    private int from;

    Step(Path root, int[] sizes, float[] x, int[] y, int batch, int threads) throws Exception {
      List<URL> urls = new ArrayList<>();
      urls.add(root.resolve("target/classes").toUri().toURL());
      for (String jar : Files.readString(root.resolve("target/test-classpath.txt")).trim().split(":")) {
        urls.add(Path.of(jar).toUri().toURL());
      }
      ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
      Class<?> cpu = loader.loadClass("org.clprop.cpu.CpuBackend");
      Class<?> dataset = loader.loadClass("org.clprop.data.Dataset");
      Class<?> network = loader.loadClass("org.clprop.core.Network");
      Class<?> optimizer = loader.loadClass("org.clprop.optim.Optimizer");
      backend = cpu.getConstructor(int[].class, int.class).newInstance(sizes, threads);
      Object net = network.getMethod("initialise", int[].class, long.class).invoke(null, sizes, 1L);
      cpu.getMethod("setParameters", float[].class).invoke(backend, network.getMethod("toFlatFloats").invoke(net));
      cpu.getMethod("setOptimizer", optimizer)
          .invoke(backend, optimizer.getMethod("adam", double.class).invoke(null, 0.001));
      Object data = dataset.getMethod("of", float[].class, int[].class, int.class, int.class)
          .invoke(null, x.clone(), y.clone(), sizes[0], sizes[sizes.length - 1]);
      cpu.getMethod("bindTrainingSet", dataset, int.class).invoke(backend, data, batch);
      int[] order = new int[EXAMPLES];
      Arrays.setAll(order, i -> i);
      cpu.getMethod("setOrder", int[].class).invoke(backend, (Object) order);
      trainStep = cpu.getMethod("trainStep", int.class, int.class, double.class);
      close = cpu.getMethod("close");
      this.batch = batch;
    }

    void steps(int n) throws Exception {
      for (int s = 0; s < n; s++) {
        trainStep.invoke(backend, from, batch, 0.0);
        from = (from + batch) % (EXAMPLES - batch);
      }
    }

    void close() throws Exception {
      close.invoke(backend);
    }
  }
}
