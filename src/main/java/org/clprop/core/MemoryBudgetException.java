package org.clprop.core;

/**
 * An input or option that asks for more memory than the heap can give, or more values than one
 * Java array holds, refused before the allocation. The message says what, how much and what to
 * change.
 */
public final class MemoryBudgetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The bytes asked for: {@link #needed()}. */
  private final long needed;
  /** The bytes the heap had left: {@link #available()}. */
  private final long available;

  MemoryBudgetException(String message, long needed, long available) {
    super(message);
    this.needed = needed;
    this.available = available;
  }

  /** The bytes asked for (negative when they overflow a long). */
  public long needed() {
    return needed;
  }

  /** The bytes the heap had left when asked. */
  public long available() {
    return available;
  }
}
