package org.clprop.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether two paths name one file, however spelt: relative or absolute, through symbolic links
 * (of the file or of any folder above it), or as hard links of one file. A path that does not
 * exist yet is resolved through its nearest existing folder, so an output to be created is
 * compared by where it will be.
 */
public final class SameFile {
  private SameFile() {}

  /**
   * Whether {@code a} and {@code b} name one file: by device and inode when both exist, otherwise
   * (or when that check fails) by their {@link #resolve resolved} names.
   */
  public static boolean test(Path a, Path b) {
    if (Files.exists(a) && Files.exists(b)) {
      try {
        return Files.isSameFile(a, b); // device and inode: hard links, links to links, /dev/fd/N
      } catch (IOException e) {
        // fall back on the resolved names
      }
    }
    return resolve(a).equals(resolve(b));
  }

  /**
   * The real path of {@code p} when it exists; otherwise the real path of its nearest existing
   * folder with the rest of the name after it.
   */
  public static Path resolve(Path p) {
    Path abs = p.toAbsolutePath();
    try {
      if (Files.exists(abs)) {
        return abs.toRealPath();
      }
    } catch (IOException e) {
      return abs.normalize();
    }
    Path parent = abs.getParent();
    Path name = abs.getFileName();
    if (parent == null || name == null) {
      return abs.normalize();
    }
    return resolve(parent).resolve(name).normalize();
  }
}
