package org.clprop.data;

/** A data file that cannot be read as what it claims to be; the message names the file and the place. */
public final class DataFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataFormatException(String message) {
    super(message);
  }

  public DataFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
