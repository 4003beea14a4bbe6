package org.clprop.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.clprop.io.AtomicFiles;
import org.clprop.io.CacheDir;
import org.clprop.io.DataFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gzipped IDX files kept decompressed in the {@code data} folder of clprop's {@link CacheDir}, so
 * that only the first load pays for inflating them (Fashion-MNIST's training images: 26 MB of gzip,
 * 47 MB of pixels, about 0.25 s to inflate, 0.02 s to read back). An entry is named after the
 * file's name, path, size and modification time, so a changed file gets a new entry; entries are
 * written atomically, and one that fails to parse is deleted and rebuilt from the original.
 */
final class DecompressedCache {
  private static final Logger LOG = LoggerFactory.getLogger(DecompressedCache.class);

  private DecompressedCache() {}

  /** Below this many compressed bytes inflating is quick: such files are not cached. */
  static final long MIN_BYTES = 1 << 20;

  /**
   * The entry for {@code file} in clprop's cache, or null when it is not a large .gz file, is
   * unreadable, or caching is off.
   */
  static Path entry(Path file) {
    return entry(file, CacheDir.of("data"));
  }

  static Path entry(Path file, Path dir) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    if (dir == null || !name.endsWith(".gz")) {
      return null;
    }
    try {
      BasicFileAttributes at = Files.readAttributes(file, BasicFileAttributes.class);
      if (at.size() < MIN_BYTES) {
        return null;
      }
      return dir.resolve(prefix(file) + at.size() + "-" + at.lastModifiedTime().toMillis());
    } catch (IOException e) {
      return null; // the read proper reports what is wrong with the file
    }
  }

  /** What every entry of one source file starts with, whatever its size and time. */
  private static String prefix(Path file) {
    String name = file.getFileName().toString();
    String where = Integer.toHexString(file.toAbsolutePath().normalize().toString().hashCode());
    return name.substring(0, name.length() - 3) + "-" + where + "-";
  }

  /** The cached array, or null when there is none or it is damaged (then it is deleted). */
  static IdxReader.IdxArray load(Path entry) {
    if (!Files.isRegularFile(entry)) {
      return null;
    }
    try {
      return IdxReader.decode(entry);
    } catch (DataFormatException | UncheckedIOException e) {
      LOG.warn("ignoring a damaged cache entry {}: {}", entry, e.getMessage());
      try {
        Files.deleteIfExists(entry);
      } catch (IOException ignored) {
        // it is rewritten below
      }
      return null;
    }
  }

  /**
   * Writes {@code a} as an uncompressed IDX file and removes the entries of older versions of the
   * same source; a failure only costs the next load the inflating.
   */
  static void store(Path source, Path entry, IdxReader.IdxArray a) {
    try {
      Files.createDirectories(entry.getParent());
      String stale = prefix(source);
      try (DirectoryStream<Path> old = Files.newDirectoryStream(entry.getParent(), p -> {
        String n = p.getFileName().toString();
        return n.startsWith(stale) && !p.equals(entry);
      })) {
        for (Path p : old) {
          Files.deleteIfExists(p);
        }
      }
      AtomicFiles.write(entry, out -> {
        DataOutputStream d = new DataOutputStream(out);
        d.writeShort(0);
        d.writeByte(0x08);
        d.writeByte(a.dims().length);
        for (int n : a.dims()) {
          d.writeInt(n);
        }
        d.write(a.data());
        d.flush();
      });
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot cache {}: {}", entry, e.toString());
    }
  }
}
