package org.clprop.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Folders for property tries, and the state of a folder's files (name to content digest) to compare. */
public final class TestFiles {
  private TestFiles() {}

  /** A new folder under target/, for one try. */
  public static Path newFolder(String what) {
    try {
      Path base = Files.createDirectories(Path.of("target", "hostile-tries"));
      return Files.createTempDirectory(base.toAbsolutePath(), what);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs {@code body} on a new folder named after {@code what}, removed after it whatever happens. */
  public static void inFolder(String what, FolderBody body) throws Exception {
    Path dir = newFolder(what);
    try {
      body.run(dir);
    } finally {
      delete(dir);
    }
  }

  /** Work done in a folder of its own. */
  public interface FolderBody {
    void run(Path dir) throws Exception;
  }

  /** Removes {@code dir} and everything in it, restoring write permission where a try took it. */
  public static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        if (Files.isDirectory(p) && !Files.isSymbolicLink(p)) {
          p.toFile().setWritable(true);
        }
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file under {@code dir} (links as their target's text) to a digest of its content. */
  public static Map<String, String> state(Path dir) {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        String name = dir.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          m.put(name, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p)) {
          m.put(name, digest(Files.readAllBytes(p)));
        } else if (Files.isDirectory(p)) {
          m.put(name, "folder");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return m;
  }

  private static String digest(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
