package org.clprop.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The cause the operating system gave for a failed file operation, as words ("permission denied",
 * "no space left on device"), for messages that name the file themselves: Java's exceptions carry
 * the cause in different places, some only the file name, some the name of a temporary file.
 */
public final class IoErrors {
  private IoErrors() {}

  /** "file: cause". */
  public static String describe(Path file, IOException e) {
    return file + ": " + reason(e);
  }

  /** The operating system's cause of {@code e}, lower case, without any file name. */
  public static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof NotDirectoryException) {
      return "not a folder";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "a folder that is not empty";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "already exists";
    }
    if (e instanceof FileSystemLoopException) {
      return "too many levels of symbolic links";
    }
    if (e instanceof FileSystemException f) {
      // Without a reason its message is only the file names.
      return f.getReason() != null ? lowerFirst(f.getReason()) : "input/output error";
    }
    String msg = e.getMessage();
    if (msg == null || msg.isBlank()) {
      return e.getClass().getSimpleName();
    }
    // FileInputStream and FileOutputStream say "NAME (Reason)".
    if (e instanceof FileNotFoundException && msg.endsWith(")") && msg.lastIndexOf(" (") > 0) {
      return lowerFirst(msg.substring(msg.lastIndexOf(" (") + 2, msg.length() - 1));
    }
    return lowerFirst(msg);
  }

  private static String lowerFirst(String s) {
    if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && !Character.isUpperCase(s.charAt(1))) {
      return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
    return s;
  }
}
