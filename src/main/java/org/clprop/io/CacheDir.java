package org.clprop.io;

import org.clprop.config.Settings;

import java.nio.file.Path;

/**
 * Where clprop keeps what it can rebuild (compiled OpenCL programs, decompressed datasets): the
 * folder of {@link Settings#CACHE_DIR}, else
 * {@code $XDG_CACHE_HOME/clprop}, else {@code ~/.cache/clprop}, with one subfolder per kind.
 * Setting it to {@code off} disables every cache.
 */
public final class CacheDir {
  private CacheDir() {}

  /** The folder for cached things of {@code kind}, or null when caching is off. */
  public static Path of(String kind) {
    String d = Settings.get(Settings.CACHE_DIR);
    if (d != null && d.equalsIgnoreCase("off")) {
      return null;
    }
    if (d != null) {
      return Path.of(d).resolve(kind);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("clprop").resolve(kind);
  }
}
