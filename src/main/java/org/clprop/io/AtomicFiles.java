package org.clprop.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that readers see either the old file or the whole new one: the content goes to
 * a temporary file in the same folder ({@link TempFiles}), is forced to disk, then renamed over the
 * target. A failure or a crash before the rename leaves the target untouched; the temporary file
 * is removed on every exit the JVM sees, and one left by a killed process by the next write.
 * Failures name the target and the operating system's cause, never the temporary file.
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
   * (rw-r--r-- for a new one). A target that is a symbolic link keeps it: the file it points to is
   * replaced, with its temporary file beside that file.
   *
   * @throws IOException when the folder does not exist or writing fails; the target is then as before
   */
  public static void write(Path target, Writer writer) throws IOException {
    Path abs = SameFile.resolve(target);
    Path dir = folder(abs);
    String name = abs.getFileName().toString();
    TempFiles.removeStale(dir, name);
    Path tmp = createTemp(dir, abs, target);
    boolean done = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
        writer.write(out);
        out.flush();
        ch.force(true);
      } catch (IOException e) {
        throw new IOException(target + ": cannot write: " + IoErrors.reason(e), e);
      }
      keepPermissions(tmp, abs);
      try {
        TempFiles.moveInto(tmp, () -> move(tmp, abs));
      } catch (IOException e) {
        throw new IOException(target + ": cannot replace: " + IoErrors.reason(e), e);
      }
      done = true;
    } finally {
      if (!done) {
        TempFiles.discard(tmp);
      }
    }
  }

  /**
   * Fails, naming the folder and the cause, unless a file could be written at {@code target} now:
   * its folder exists, it is not a folder, and a temporary file can be made and removed beside it.
   * For checks before long work whose result goes there.
   */
  public static void checkWritable(Path target) throws IOException {
    Path abs = SameFile.resolve(target);
    Path dir = folder(abs);
    if (Files.isDirectory(abs)) {
      throw new IOException(target + " is a folder");
    }
    TempFiles.discard(createTemp(dir, abs, target));
  }

  private static Path folder(Path abs) throws IOException {
    Path dir = abs.getParent();
    if (dir == null || abs.getFileName() == null) {
      throw new IOException(abs + ": not a file name");
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException("folder " + dir + " does not exist");
    }
    return dir;
  }

  private static Path createTemp(Path dir, Path abs, Path target) throws IOException {
    try {
      return TempFiles.create(dir, abs.getFileName().toString());
    } catch (IOException e) {
      throw new IOException(target + ": cannot write in folder " + dir + ": " + IoErrors.reason(e), e);
    }
  }

  /** A temporary file is private (0600): give it the old file's permissions, or rw-r--r--. */
  private static void keepPermissions(Path tmp, Path target) throws IOException {
    try {
      Files.setPosixFilePermissions(tmp, Files.exists(target) ? Files.getPosixFilePermissions(target)
          : PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep the defaults
    }
  }

  private static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
