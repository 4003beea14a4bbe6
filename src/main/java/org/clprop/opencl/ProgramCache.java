package org.clprop.opencl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.clprop.io.CacheDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Built program binaries on disk, one file per key: a SHA-256 over the device, its driver version,
 * the build options and the source. Writes are atomic (a temporary file renamed into place), so a
 * crash never leaves a half-written entry; an entry that fails to load is deleted and rebuilt.
 *
 * <p>The folder is {@code programs} in clprop's {@link CacheDir}.
 */
final class ProgramCache {
  private static final Logger LOG = LoggerFactory.getLogger(ProgramCache.class);

  private final Path dir;

  ProgramCache(Path dir) {
    this.dir = dir;
  }

  /** The cache the environment asks for ({@link CacheDir}); its folder is null when disabled. */
  static ProgramCache fromEnvironment() {
    return new ProgramCache(CacheDir.of("programs"));
  }

  boolean enabled() {
    return dir != null;
  }

  static String key(ClDevice d, String options, String source) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {d.platformName(), d.vendor(), d.name(), d.version(), d.driverVersion(),
          options, source}) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  Path path(String key) {
    return dir.resolve(key + ".bin");
  }

  /** The cached binary, or null when absent or unreadable. */
  byte[] load(String key) {
    if (dir == null) {
      return null;
    }
    Path p = path(key);
    try {
      return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
    } catch (IOException e) {
      LOG.warn("cannot read program cache entry {}: {}", p, e.getMessage());
      return null;
    }
  }

  void store(String key, byte[] binary) {
    if (dir == null || binary == null || binary.length == 0) {
      return;
    }
    Path target = path(key);
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, key, ".tmp");
      Files.write(tmp, binary);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      LOG.warn("cannot write program cache entry {}: {} (the next start compiles again)", target, e.getMessage());
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  void delete(String key) {
    if (dir != null) {
      try {
        Files.deleteIfExists(path(key));
      } catch (IOException e) {
        LOG.warn("cannot delete bad program cache entry {}: {}", path(key), e.getMessage());
      }
    }
  }
}
