package org.clprop.core;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The one check every allocation sized by outside input goes through (a reader's arrays, a
 * network's weights, a batch's activations): the bytes it will take, computed in long from headers,
 * sizes and options before the allocation, against what the Java heap can still give and what one
 * Java array can hold. A refusal says what needed how much and what to change.
 */
public final class MemoryBudget {
  /** The most elements one Java array may have on HotSpot. */
  public static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private MemoryBudget() {}

  /**
   * Fails unless the heap can still take {@code bytes}.
   *
   * @param what the thing to be allocated, with its file or option, e.g. "x.npz entry x.npy, shape (60000, 784)"
   * @param remedy what the user can change besides the heap, e.g. "use a smaller data set"
   * @throws MemoryBudgetException when it cannot
   */
  public static void require(long bytes, String what, String remedy) {
    if (bytes < 0) {
      throw new MemoryBudgetException(what + ": more bytes than a long counts; " + remedy, bytes, 0);
    }
    long left = available(bytes);
    if (bytes > left) {
      throw new MemoryBudgetException(what + ": needs " + size(bytes) + " of memory, and the Java heap has "
          + size(left) + " left of its " + size(Runtime.getRuntime().maxMemory()) + "; " + remedy
          + ", or give Java a larger heap (-Xmx" + suggestedHeap(bytes - left) + ")", bytes, left);
    }
  }

  /** Whether the heap can still take {@code bytes} (as {@link #require} would allow them). */
  public static boolean fits(long bytes) {
    return bytes >= 0 && bytes <= available(bytes);
  }

  /**
   * The length of an array of {@code count} elements of {@code elementBytes} each, after checking
   * that one array can hold them and the heap can take them.
   */
  public static int arrayLength(long count, int elementBytes, String what, String remedy) {
    if (count < 0 || count > MAX_ARRAY_LENGTH) {
      throw new MemoryBudgetException(what + ": " + count + " values, more than one Java array holds ("
          + MAX_ARRAY_LENGTH + "); " + remedy, product(count, elementBytes), available(0));
    }
    require(product(count, elementBytes), what, remedy);
    return (int) count;
  }

  /**
   * {@link #require}, then {@code allocation}: a large array that the heap has room for but not
   * in one piece (a region-based collector's fragments) fails with the same refusal rather than
   * an OutOfMemoryError; a failed allocation of one array leaves the heap as it was.
   */
  public static <T> T allocate(long bytes, String what, String remedy, Supplier<T> allocation) {
    require(bytes, what, remedy);
    try {
      return allocation.get();
    } catch (OutOfMemoryError e) {
      long left = available(bytes);
      throw new MemoryBudgetException(what + ": needs " + size(bytes) + " of memory in one piece, and the Java heap "
          + "has " + size(left) + " left of its " + size(Runtime.getRuntime().maxMemory()) + " in pieces; " + remedy
          + ", or give Java a larger heap (-Xmx" + suggestedHeap(bytes) + ")", bytes, left);
    }
  }

  /** a * b, or -1 when the product overflows a long: for sizes computed from untrusted headers. */
  public static long product(long a, long b) {
    long p = a * b;
    long hi = Math.multiplyHigh(a, b);
    return hi != 0 || p < 0 ? -1 : p;
  }

  /**
   * Bytes one allocation can still have: the heap's maximum less what is in use and an eighth, and
   * no more than is free in its largest pool (a generational collector places a large array in the old
   * generation, a part of the heap); when that is short of {@code wanted}, measured again after a
   * collection (garbage counts as in use until then).
   */
  static long available(long wanted) {
    long left = measure();
    if (left < wanted) {
      System.gc();
      left = measure();
    }
    return Math.max(0, left);
  }

  private static long measure() {
    Runtime rt = Runtime.getRuntime();
    long left = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    MemoryPoolMXBean largest = LargestPool.POOL;
    if (largest != null && largest.isValid()) {
      MemoryUsage u = largest.getUsage();
      left = Math.min(left, u.getMax() - u.getUsed());
    }
    // An eighth kept back: for what the run allocates besides, and for a region-based collector
    // (G1), which needs a large array's regions free in one piece.
    return left - rt.maxMemory() / 8;
  }

  /**
   * The heap's largest pool (the old generation of a generational collector), found once: the
   * pools are fixed for the JVM's life, and listing them costs a few tenths of a millisecond, which
   * a reader allocating block after block would pay each time.
   */
  private static final class LargestPool {
    static final MemoryPoolMXBean POOL = find();

    private static MemoryPoolMXBean find() {
      MemoryPoolMXBean largest = null;
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP && p.isValid() && p.getUsage().getMax() > 0
            && (largest == null || p.getUsage().getMax() > largest.getUsage().getMax())) {
          largest = p;
        }
      }
      return largest;
    }
  }

  /** A heap that would leave room for {@code more} bytes beyond today's maximum, as -Xmx takes it. */
  private static String suggestedHeap(long more) {
    long want = Runtime.getRuntime().maxMemory() + more;
    long gib = (want + (want >> 2) + (1L << 30) - 1) >> 30;
    return gib + "g";
  }

  /** Bytes in the largest binary unit that keeps a whole number in front, e.g. "1.5 GiB". */
  public static String size(long bytes) {
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u + 1 < units.length) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " bytes" : String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
  }
}
