package org.clprop.config;

import java.util.List;

/**
 * Every setting clprop reads from the process's environment, in one place: each is a system
 * property ({@code -Dclprop...}) and, where users set it from a shell, an environment variable;
 * the property wins. The README's "Settings" table lists the same keys (a test keeps them in step).
 */
public final class Settings {
  /**
   * One setting.
   *
   * @param property the system property, e.g. {@code clprop.device}
   * @param env the environment variable, or null for a property only
   * @param meaning what it does, for the README and messages
   */
  public record Key(String property, String env, String meaning) {
    @Override
    public String toString() {
      return env == null ? "-D" + property : "-D" + property + " / " + env;
    }
  }

  /** The OpenCL device: an index of {@code clprop devices} or part of a device's name. */
  public static final Key DEVICE = new Key("clprop.device", "CLPROP_DEVICE",
      "OpenCL device for AUTO and OPENCL: an index or part of a name (clprop devices lists them)");
  /** The cache folder, or {@code off}. */
  public static final Key CACHE_DIR = new Key("clprop.cache.dir", "CLPROP_CACHE_DIR",
      "folder for compiled OpenCL programs and decompressed data sets (default $XDG_CACHE_HOME/clprop or "
          + "~/.cache/clprop); off disables both");
  /** A folder of .cl files to use instead of the jar's. */
  public static final Key KERNELS_DIR = new Key("clprop.kernels.dir", "CLPROP_KERNELS_DIR",
      "folder of .cl files loaded instead of the jar's, so that a kernel edit takes effect without a rebuild");
  /** Tile sizes for the tiled matrix product, forcing it on any device. */
  public static final Key TILES = new Key("clprop.opencl.tiles", "CLPROP_TILES",
      "TS_M,TS_N,TS_K,WPT_M,WPT_N: tile sizes of the OpenCL matrix product, which then takes the tiled form "
          + "on any device");
  /** The widest of the GPU tile shapes. */
  public static final Key WIDE_TILES = new Key("clprop.opencl.wideTiles", "CLPROP_WIDE_TILES",
      "TS_M,TS_N,TS_K,WPT_M,WPT_N: replaces the GPU's widest tile shape (128 x 256)");
  /** The register block of the CPU form of the OpenCL product. */
  public static final Key CPU_BLOCK = new Key("clprop.opencl.cpuBlock", "CLPROP_CPU_BLOCK",
      "ROWS,VECTORS,DOT_ROWS,DOT_COLUMNS: register block of the OpenCL product on CPU devices");
  /** Streams the training set to the OpenCL device even when it would fit. */
  public static final Key STREAM = new Key("clprop.opencl.stream", null,
      "true: stream the training set to the OpenCL device batch by batch even when it fits (for tests)");
  /** {@code false}: the CPU backend's plain-Java kernels even where the Vector API is there. */
  public static final Key CPU_VECTOR = new Key("clprop.cpu.vector", null,
      "false: the CPU backend uses its plain-Java kernels even where the Vector API is available");
  /** Rows per register tile of the CPU backend's SIMD product, 4 or 8. */
  public static final Key CPU_ROWS = new Key("clprop.cpu.rows", null,
      "4 or 8: rows per register tile of the CPU backend's SIMD matrix product (default by vector width)");
  /** Bytes per block of a data set's storage (and of block shuffling). */
  public static final Key DATA_BLOCK_BYTES = new Key("clprop.data.blockBytes", "CLPROP_DATA_BLOCK_BYTES",
      "bytes per block of a data set's storage, and per block of block shuffling (default 16 MiB, at most a "
          + "sixteenth of the heap); lowered in tests so that small sets span many blocks");
  /** Whether .npy data is memory-mapped: auto, always or never. */
  public static final Key DATA_MAP = new Key("clprop.data.map", "CLPROP_DATA_MAP",
      "auto, always or never: whether .npy data is memory-mapped rather than read into the heap (auto: when "
          + "the heap cannot hold it)");
  /** Turns the CLI's own logging set-up on (set by the command line itself). */
  public static final Key CLI_LOGGING = new Key("clprop.cli.logging", null,
      "set by the clprop command: its Logback set-up (one line per message on stderr) applies");
  /** The CLI's log level (set by the command line itself from --verbose). */
  public static final Key LOG_LEVEL = new Key("clprop.log.level", null,
      "set by the clprop command: WARN, or INFO under --verbose");

  private static final List<Key> ALL = List.of(DEVICE, CACHE_DIR, KERNELS_DIR, TILES, WIDE_TILES, CPU_BLOCK, STREAM,
      CPU_VECTOR, CPU_ROWS, DATA_BLOCK_BYTES, DATA_MAP, CLI_LOGGING, LOG_LEVEL);

  private Settings() {}

  /** Every key, in the README's order. */
  public static List<Key> all() {
    return ALL;
  }

  /** The property's value, else the environment variable's, else null; blank counts as unset. */
  public static String get(Key key) {
    String v = System.getProperty(key.property());
    if ((v == null || v.isBlank()) && key.env() != null) {
      v = System.getenv(key.env());
    }
    return v == null || v.isBlank() ? null : v.strip();
  }

  /** The setting as an integer, or {@code otherwise} when unset. */
  public static int intValue(Key key, int otherwise) {
    String v = get(key);
    try {
      return v == null ? otherwise : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + v + "' is not an integer");
    }
  }

  /** Whether the setting is "true" (any case). */
  public static boolean isTrue(Key key) {
    return Boolean.parseBoolean(get(key));
  }

  /** Sets a property-only key for this JVM (the command line configures its logging so). */
  public static void set(Key key, String value) {
    System.setProperty(key.property(), value);
  }

  /**
   * {@code count} positive integers, comma-separated (named by {@code form} in the message), or
   * null when unset.
   *
   * @throws IllegalArgumentException naming the key when the value is malformed
   */
  public static int[] positiveInts(Key key, int count, String form) {
    String v = get(key);
    if (v == null) {
      return null;
    }
    String[] f = v.split(",");
    try {
      if (f.length != count) {
        throw new NumberFormatException();
      }
      int[] n = new int[count];
      for (int i = 0; i < count; i++) {
        n[i] = Integer.parseInt(f[i].strip());
        if (n[i] <= 0) {
          throw new NumberFormatException();
        }
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": '" + v + "', expected " + count + " positive integers " + form);
    }
  }
}
