package org.clprop.bench;

import java.util.concurrent.TimeUnit;
import org.clprop.cli.bench.ThroughputBench;
import org.clprop.cpu.CpuBackend;
import org.clprop.data.Dataset;
import org.clprop.optim.Optimizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One CPU training step (forward, backward, update) on random data of Fashion-MNIST's shape.
 * Scores are examples per second: one operation is one training example.
 * Run with {@code tools/bench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CpuTrainStepBenchmark {
  private static final int EXAMPLES = 8192;

  /** Layer sizes, split at commas or hyphens (JMH's -p splits its values at commas: -p layers=784-128-10). */
  @Param({"784,128,10"})
  public String layers;

  @Param({"128"})
  public int batch;

  @Param({"adam", "sgd"})
  public String optimizer;

  @Param({"2"})
  public int threads;

  private CpuBackend backend;
  private int from;

  @Setup(Level.Trial)
  public void setUp() {
    int[] sizes = java.util.Arrays.stream(layers.split("[,-]")).mapToInt(Integer::parseInt).toArray();
    Dataset data = ThroughputBench.randomData(sizes, EXAMPLES, 1);
    backend = new CpuBackend(sizes, threads);
    backend.setParameters(org.clprop.core.Network.initialise(sizes, 1).toFlatFloats());
    backend.setOptimizer(Optimizer.defaults(Optimizer.Kind.valueOf(optimizer.toUpperCase())));
    backend.bindTrainingSet(data, batch);
    int[] order = new int[EXAMPLES];
    for (int i = 0; i < EXAMPLES; i++) {
      order[i] = i;
    }
    backend.setOrder(order);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    backend.close();
  }

  /** One step of {@code batch} examples; JMH divides by the batch through OperationsPerInvocation. */
  @Benchmark
  @OperationsPerInvocation(128)
  public void step() {
    backend.trainStep(from, batch, 0.0);
    from = (from + batch) % (EXAMPLES - batch);
  }
}
