package org.clprop.hostile;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * A property checked over generated inputs: each try draws its input from a generator seeded by
 * the property's seed and the try's number, so that a failure names the seed and try that repeat
 * it. The count of random tries is bounded in {@code mvn test} and raised by hand with
 * {@code -Dclprop.tries=N}; small domains are checked whole ({@link #forEach}).
 */
final class Tries {
  private Tries() {}

  /** A check of one input, which may throw anything. */
  interface Check<T> {
    void accept(T input) throws Exception;
  }

  /** A step of a try, which may throw anything. */
  interface Body {
    void run() throws Exception;
  }

  /** The number of random tries: {@code -Dclprop.tries}, else {@code defaultCount}. */
  static int count(int defaultCount) {
    return Integer.getInteger("clprop.tries", defaultCount);
  }

  /** Checks {@code property} on {@link #count} inputs drawn by {@code generator}. */
  static <T> void forAll(long seed, int defaultCount, Function<Random, T> generator, Check<T> property) {
    int n = count(defaultCount);
    for (int i = 0; i < n; i++) {
      T input = generator.apply(new Random(seed * 1_000_003L + i));
      run(property, input, "seed " + seed + ", try " + i + " of " + n);
    }
  }

  /** Checks {@code property} on every input of a small domain. */
  static <T> void forEach(List<T> domain, Check<T> property) {
    for (int i = 0; i < domain.size(); i++) {
      run(property, domain.get(i), "input " + i + " of " + domain.size());
    }
  }

  private static <T> void run(Check<T> property, T input, String where) {
    try {
      property.accept(input);
    } catch (Throwable t) {
      throw new AssertionError(where + ", input " + input + ": " + t.getMessage(), t);
    }
  }

  /** An int drawn over [lo, hi] on a log scale: as many small values as large ones. */
  static int logUniform(Random r, int lo, int hi) {
    double x = Math.exp(Math.log(lo) + r.nextDouble() * (Math.log(hi + 1.0) - Math.log(lo)));
    return (int) Math.max(lo, Math.min(hi, (long) x));
  }

  /** One of {@code values}. */
  @SafeVarargs
  static <T> T oneOf(Random r, T... values) {
    return values[r.nextInt(values.length)];
  }

  /** All pairs of the elements of two lists, as two-element lists. */
  static <A, B> List<List<Object>> pairs(List<A> as, List<B> bs) {
    return as.stream().flatMap(a -> bs.stream().map(b -> List.<Object>of(a, b))).toList();
  }
}
