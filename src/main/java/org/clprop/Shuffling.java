package org.clprop;

/**
 * How each epoch orders the training examples (minibatch optimisers), seeded by the trainer's seed.
 *
 * <ul>
 *   <li>{@link Kind#FULL}: a Fisher-Yates shuffle of all m examples. Every batch is a uniform draw,
 *       which needs random access to every example: right for a set in memory.
 *   <li>{@link Kind#BLOCKS}: the set's storage blocks ({@code clprop.data.blockBytes} of rows each)
 *       in a random order, then the examples of each window of {@code window} consecutive blocks of
 *       that order shuffled among themselves. An epoch reads each example exactly once and has only
 *       one window's rows in play at a time, so a memory-mapped file is read a window at a time
 *       (sequential runs of a block) rather than at random. Batches draw from a window, not from
 *       the whole set: on a file sorted by label, a window may lack classes.
 *   <li>{@link Kind#AUTO}: BLOCKS for a set that stays in a mapped file, FULL for one in the heap.
 * </ul>
 *
 * Both are deterministic: the same seed, data, block size and window give the same order, and on
 * the CPU backend bitwise the same weights; FULL and BLOCKS give different orders, hence different
 * weights.
 *
 * @param kind the rule
 * @param window blocks per window (BLOCKS and AUTO)
 */
public record Shuffling(Kind kind, int window) {
  /** The default window: 16 blocks, 256 MiB of rows at the default block size. */
  public static final int DEFAULT_WINDOW = 16;

  /** The rules. */
  public enum Kind {
    /** BLOCKS for a mapped set, FULL otherwise. */
    AUTO,
    /** All examples shuffled. */
    FULL,
    /** Blocks shuffled, then examples within windows of blocks. */
    BLOCKS
  }

  /** Checks the window. */
  public Shuffling {
    if (kind == null) {
      throw new IllegalArgumentException("shuffling: no kind");
    }
    if (window < 1) {
      throw new IllegalArgumentException("shuffling window: " + window + " blocks, must be >= 1");
    }
  }

  /** AUTO with the default window. */
  public static Shuffling auto() {
    return new Shuffling(Kind.AUTO, DEFAULT_WINDOW);
  }

  /** FULL. */
  public static Shuffling full() {
    return new Shuffling(Kind.FULL, DEFAULT_WINDOW);
  }

  /** BLOCKS with windows of {@code window} blocks. */
  public static Shuffling blocks(int window) {
    return new Shuffling(Kind.BLOCKS, window);
  }
}
