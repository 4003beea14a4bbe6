package org.clprop.cpu;

import java.util.EnumSet;
import java.util.Set;

/**
 * The CPU backend's kernels and which of its optimisations are on; an optimisation off, the
 * backend takes the plain path for it. The defaults: all on, with the best kernels of this JVM.
 */
record CpuOptions(CpuKernels kernels, Set<Optimisation> on) {

  /** The optimisations, each a part of its own. */
  enum Optimisation {
    /**
     * {@link ParameterLayout}: the input layer held as b then W', W' and W kept again in the panels
     * their products read. Off, every product reads Theta as it is; results differ within float32
     * rounding (the dot products sum in another order).
     */
    LAYOUT,
    /** {@link ZeroSkipping}: the input layer's products skip zero pixels; bitwise the same. */
    SKIP_ZEROS,
    /**
     * {@link LabelGrouping}: batches of images gathered grouped by label, so that more pixels are
     * zero in whole strips of examples; the same rows, summed in another order.
     */
    GROUP_BATCHES,
    /** {@link WorkPartition}: operations split across the threads; bitwise the same. */
    PARTITION,
    /** {@link OneThreadStart}: the first steps on one thread while the JIT compiles; bitwise the same. */
    ONE_THREAD_START
  }

  CpuOptions {
    on = Set.copyOf(on);
  }

  /** Everything on, with {@link CpuKernels#best()}. */
  static CpuOptions defaults() {
    return new CpuOptions(CpuKernels.best(), EnumSet.allOf(Optimisation.class));
  }

  boolean has(Optimisation o) {
    return on.contains(o);
  }

  /** These options with other kernels. */
  CpuOptions with(CpuKernels k) {
    return new CpuOptions(k, on);
  }

  /** These options with {@code o} off. */
  CpuOptions without(Optimisation o) {
    EnumSet<Optimisation> set = EnumSet.noneOf(Optimisation.class);
    set.addAll(on);
    set.remove(o);
    return new CpuOptions(kernels, set);
  }
}
