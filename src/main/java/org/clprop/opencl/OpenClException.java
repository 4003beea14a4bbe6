package org.clprop.opencl;

import org.jocl.CL;
import org.jocl.CLException;

/** An OpenCL failure, naming the operation and the error (CL_OUT_OF_RESOURCES, not -5). */
public final class OpenClException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** The OpenCL status code, 0 when not from an OpenCL call. */
  private final int status;

  /** A failure of an OpenCL call that returned {@code status} (0 when not from one). */
  public OpenClException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** A failure without an OpenCL status to report, such as a buffer too large for the device; status 0. */
  public OpenClException(String message) {
    this(message, 0, null);
  }

  /** Wraps JOCL's exception with what was being done. */
  static OpenClException of(String operation, CLException e) {
    int status = e.getStatus();
    String name = status == 0 ? e.getMessage() : errorName(status);
    return new OpenClException(operation + " failed: " + name, status, e);
  }

  /** The OpenCL status code, 0 when not from an OpenCL call. */
  public int status() {
    return status;
  }

  /** CL_OUT_OF_RESOURCES for -5, and so on; the number itself when OpenCL does not name it. */
  public static String errorName(int status) {
    if (status == -1001) {
      return "CL_PLATFORM_NOT_FOUND_KHR";
    }
    try {
      String s = CL.stringFor_errorCode(status);
      return s == null || s.startsWith("INVALID") ? "OpenCL error " + status : s;
    } catch (LinkageError e) {
      return "OpenCL error " + status;
    }
  }
}
