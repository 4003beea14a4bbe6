package org.clprop.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary files {@link AtomicFiles} writes beside a target, named
 * {@code .NAME.PID.RANDOM.tmp}. Those of this JVM are removed when it exits, by a shutdown hook,
 * however it ends short of SIGKILL or a crash (normally, on an error, on SIGINT or SIGTERM); those
 * left by a process that no longer runs are removed by the next write beside the same target.
 */
final class TempFiles {
  private static final Logger LOG = LoggerFactory.getLogger(TempFiles.class);
  private static final String SUFFIX = ".tmp";
  /** Longest part of the target's name kept in a temporary name, so that it stays within 255 bytes. */
  private static final int MAX_STEM = 100;
  private static final long PID = ProcessHandle.current().pid();

  /** The temporary files being written, guarded by itself, as is {@link #closed}. */
  private static final Set<Path> LIVE = new HashSet<>();
  private static boolean closed;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::removeLive, "clprop-temporary-files"));
  }

  private TempFiles() {}

  /** A new, empty temporary file for {@code name} in {@code dir}, removed at exit unless moved. */
  static Path create(Path dir, String name) throws IOException {
    synchronized (LIVE) {
      if (closed) {
        throw new IOException("the JVM is shutting down");
      }
      Path tmp = Files.createTempFile(dir, prefix(name) + PID + ".", SUFFIX);
      LIVE.add(tmp);
      return tmp;
    }
  }

  /**
   * Moves {@code tmp} onto {@code target} with {@code move}; under the lock that the shutdown hook
   * takes, so that the hook never removes a file that has become the target.
   */
  static void moveInto(Path tmp, IoAction move) throws IOException {
    synchronized (LIVE) {
      if (closed) {
        throw new IOException("the JVM is shutting down");
      }
      move.run();
      LIVE.remove(tmp);
    }
  }

  /** Removes {@code tmp} if it still exists. */
  static void discard(Path tmp) throws IOException {
    synchronized (LIVE) {
      LIVE.remove(tmp);
      Files.deleteIfExists(tmp);
    }
  }

  /** An operation on files. */
  interface IoAction {
    void run() throws IOException;
  }

  /**
   * Removes the temporary files for {@code name} in {@code dir} whose writer has gone: a process
   * that no longer runs, or this one, where the file is not among those being written. Returns how
   * many; a file that cannot be removed is left for the next time.
   */
  static int removeStale(Path dir, String name) {
    String prefix = prefix(name);
    int removed = 0;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> {
      String n = p.getFileName().toString();
      return n.length() > prefix.length() + SUFFIX.length() && n.startsWith(prefix) && n.endsWith(SUFFIX);
    })) {
      for (Path p : s) {
        if (isStale(p, prefix)) {
          synchronized (LIVE) {
            if (!LIVE.contains(p) && Files.deleteIfExists(p)) {
              removed++;
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot look for stale temporary files in {}: {}", dir, e.toString());
    }
    if (removed > 0) {
      LOG.info("removed {} stale temporary file(s) of {} in {}", removed, name, dir);
    }
    return removed;
  }

  /** Whether {@code p} ({@code prefix} + PID.RANDOM + suffix) was written by a process that is gone, or by this one. */
  private static boolean isStale(Path p, String prefix) {
    String n = p.getFileName().toString();
    String middle = n.substring(prefix.length(), n.length() - SUFFIX.length());
    int dot = middle.indexOf('.');
    if (dot <= 0 || !digits(middle.substring(0, dot)) || !digits(middle.substring(dot + 1))
        || dot > 18) {
      return false;
    }
    long pid = Long.parseLong(middle.substring(0, dot));
    if (pid == PID) {
      return true; // this JVM's own: not being written (checked against LIVE by the caller)
    }
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    return h.isEmpty() || !h.get().isAlive();
  }

  private static boolean digits(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** ".NAME." with NAME cut to {@link #MAX_STEM} characters. */
  private static String prefix(String name) {
    return "." + (name.length() > MAX_STEM ? name.substring(0, MAX_STEM) : name) + ".";
  }

  /** The shutdown hook: removes the files still being written and refuses new ones. */
  private static void removeLive() {
    synchronized (LIVE) {
      closed = true;
      for (Path p : LIVE) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // the JVM is ending; the next write beside the target removes it as stale
        }
      }
      LIVE.clear();
    }
  }
}
