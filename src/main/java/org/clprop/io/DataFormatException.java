package org.clprop.io;

/** A data file that cannot be read as what it claims to be; the message names the file and the place. */
public final class DataFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error whose {@code message} names the file and the place. */
  public DataFormatException(String message) {
    super(message);
  }

  /** An error whose {@code message} names the file and the place, caused by {@code cause}. */
  public DataFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
