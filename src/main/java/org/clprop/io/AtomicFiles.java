package org.clprop.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old file or the whole new one: the content goes to
 * a temporary file in the same folder, is forced to disk, then renamed over the target. A failure
 * or a crash before the rename leaves the target untouched (and the temporary file is removed
 * whenever the JVM is still alive to do it).
 */
public final class AtomicFiles {
  /** Writes the content to a stream. */
  public interface Writer {
    /** Writes the whole content to {@code out}, which the caller flushes and closes. */
    void write(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Replaces {@code target} with what {@code writer} writes, keeping the old file's permissions
   * (rw-r--r-- for a new one).
   *
   * @throws IOException when the folder does not exist or writing fails; the target is then as before
   */
  public static void write(Path target, Writer writer) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new IOException(dir + ": no such folder");
    }
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
    boolean done = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16)) {
        writer.write(out);
        out.flush();
        ch.force(true);
      }
      // A temporary file is private (0600); give the result the old file's permissions, or rw-r--r--.
      try {
        Files.setPosixFilePermissions(tmp, Files.exists(abs) ? Files.getPosixFilePermissions(abs)
            : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: keep the defaults
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
