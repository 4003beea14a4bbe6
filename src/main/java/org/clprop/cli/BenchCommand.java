package org.clprop.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import org.clprop.cli.bench.GemmBench;
import org.clprop.cli.bench.LoadBench;
import org.clprop.cli.bench.ThroughputBench;
import java.util.Optional;
import org.clprop.cpu.CpuBackend;
import org.clprop.opencl.ClDevice;
import org.clprop.opencl.KernelParams;
import org.clprop.opencl.KernelProfile;
import org.clprop.opencl.OpenCl;
import org.clprop.opencl.OpenClBackend;
import org.clprop.data.Dataset;
import org.clprop.optim.Optimizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clprop bench}: training throughput on random data of a given shape, or the time to load a data set. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Measure training samples/s and GFLOP/s on random data (warm-up excluded; median, min, max),",
        "or with --load the time and memory to load a data set."})
final class BenchCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--layers", split = ",", defaultValue = "784,128,10", description = "Layer sizes. Default: ${DEFAULT-VALUE}.")
  int[] layers;

  @Option(names = "--batch", defaultValue = "128", description = "Minibatch size. Default: ${DEFAULT-VALUE}.")
  int batch;

  @Option(names = "--examples", defaultValue = "60000", description = "Examples per epoch (Fashion-MNIST's 60000). Default: ${DEFAULT-VALUE}.")
  int examples;

  @Option(names = "--optimizer", defaultValue = "adam", description = "sgd, momentum or adam. Default: ${DEFAULT-VALUE}.")
  String optimizer;

  @Option(names = "--threads", description = "CPU threads (default: all processors).")
  Integer threads;

  @Option(names = "--backend", defaultValue = "all", description = "all, cpu or opencl. Default: ${DEFAULT-VALUE}.")
  String backend;

  @Option(names = "--device", description = "OpenCL device by index or name (default: the best GPU, else any device).")
  String device;

  @Option(names = "--gemm", split = ",",
      description = "Also time the OpenCL matrix-multiply kernel on square products of these sizes (e.g. 1024,4096).")
  int[] gemm;

  @Option(names = "--profile",
      description = "After the timed epochs, one more with OpenCL profiling: device time per kernel against the wall time.")
  boolean profile;

  @Option(names = "--runs", defaultValue = "5", description = "Timed epochs. Default: ${DEFAULT-VALUE}.")
  int runs;

  @Option(names = "--warmup", defaultValue = "2", description = "Untimed epochs first. Default: ${DEFAULT-VALUE}.")
  int warmup;

  @Option(names = "--load", description = "Time loading this data set instead (as train --data takes it): the first "
      + "load, --runs in all, MB/s, and the resident memory the first load adds.")
  String load;

  @Mixin
  DataOptions dataOptions;

  @Override
  public Integer call() {
    if (load != null) {
      LoadBench.run(load, () -> dataOptions.load(load), runs, spec.commandLine().getOut());
      return 0;
    }
    Optimizer opt = Optimizer.defaults(Optimizer.Kind.valueOf(optimizer.toUpperCase()));
    if (!opt.isMinibatch()) {
      throw new IllegalArgumentException("--optimizer: bench measures minibatch training; use sgd, momentum or adam");
    }
    Dataset data = ThroughputBench.randomData(layers, examples, 1);
    PrintWriter out = spec.commandLine().getOut();
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (!backend.equals("opencl")) {
      try (CpuBackend cpu = new CpuBackend(layers, t)) {
        out.println(ThroughputBench.run(cpu, data, batch, opt, warmup, runs));
        out.flush();
      }
    }
    if (!backend.equals("cpu")) {
      String spec = device != null ? device : OpenCl.deviceFromEnvironment();
      Optional<ClDevice> d = OpenCl.choose(spec, false);
      if (d.isEmpty()) {
        out.println("opencl: unavailable: " + OpenCl.whyNone(spec, false));
      } else {
        long t0 = System.nanoTime();
        try (OpenClBackend cl = new OpenClBackend(layers, d.get(), profile)) {
          double startMs = (System.nanoTime() - t0) / 1e6;
          out.printf("opencl start-up: %.0f ms (program %s in %.0f ms; tiles %s)%n", startMs,
              cl.kernels().programFromCache() ? "loaded from the cache" : "compiled", cl.kernels().programMillis(),
              tiles(cl.kernels().tileShapes()));
          out.println(ThroughputBench.run(cl, data, batch, opt, warmup, runs));
          if (profile) {
            printProfile(out, cl, data, opt);
          }
        }
        if (gemm != null) {
          for (int n : gemm) {
            double[] r = GemmBench.run(d.get(), n, runs);
            out.printf("opencl gemm %dx%dx%d on %s: median %.1f GFLOP/s (min %.1f, max %.1f, %d runs)%n", n, n, n,
                d.get().name(), GemmBench.median(r), java.util.Arrays.stream(r).min().orElse(0),
                java.util.Arrays.stream(r).max().orElse(0), r.length);
            out.flush();
          }
        }
      }
    }
    return 0;
  }

  private static String tiles(List<KernelParams> shapes) {
    return shapes.stream().map(p -> p.cpu() != null ? "CPU form " + p.cpu()
        : p.tsM() + "x" + p.tsN() + "x" + p.tsK() + "/" + p.wptM() + "x" + p.wptN()).collect(Collectors.joining(", "));
  }

  /** One more epoch with every launch timed on the device: where a step's time goes. */
  private void printProfile(PrintWriter out, OpenClBackend cl, Dataset data, Optimizer opt) {
    KernelProfile p = cl.context().profile();
    p.start();
    ThroughputBench.Result r = ThroughputBench.run(cl, data, batch, opt, 0, 1);
    List<KernelProfile.Entry> entries = p.drain(cl.context());
    double wallMs = data.size() / r.median() * 1e3;
    double busy = entries.stream().mapToDouble(KernelProfile.Entry::deviceMillis).sum();
    long steps = (data.size() + batch - 1) / batch;
    out.printf("profile of one epoch (%d steps): wall %.1f ms, kernels %.1f ms (%.0f%% of wall), %.1f us per step%n",
        steps, wallMs, busy, 100 * busy / wallMs, wallMs * 1e3 / steps);
    for (KernelProfile.Entry e : entries) {
      out.printf("  %-16s %7d launches %9.1f ms %8.2f us each%n", e.kernel(), e.launches(), e.deviceMillis(),
          e.deviceMillis() * 1e3 / e.launches());
    }
    out.flush();
  }
}
