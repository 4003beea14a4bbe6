package org.clprop.opencl;

import org.clprop.config.Settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The OpenCL C source of clprop's program: the files of the top-level {@code kernels/} folder,
 * read from the jar's {@code /kernels}, or from a folder named by {@code -Dclprop.kernels.dir} or
 * {@code CLPROP_KERNELS_DIR} so that an edited kernel takes effect without a rebuild.
 */
public final class KernelSource {
  /** In this order: shared definitions first. */
  static final String[] FILES = {"common.cl", "matmul.cl", "matmul_cpu.cl", "backprop.cl", "optimizers.cl"};
  /** The files the matrix products need: what a further tile shape's program is built from. */
  private static final int PRODUCT_FILES = 3;

  private KernelSource() {}

  /** The folder override, or null for the jar's copy. */
  public static Path overrideDir() {
    String dir = Settings.get(Settings.KERNELS_DIR);
    return dir == null ? null : Path.of(dir);
  }

  /** The concatenated source, each file introduced by a line naming it. */
  public static String load() {
    return load(FILES.length);
  }

  /** Only the matrix products ({@code gemm_*}) and the definitions they use. */
  static String products() {
    return load(PRODUCT_FILES);
  }

  private static String load(int files) {
    Path dir = overrideDir();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < files; i++) {
      String f = FILES[i];
      sb.append("// ---- ").append(f).append('\n').append(dir == null ? fromJar(f) : fromDir(dir, f)).append('\n');
    }
    return sb.toString();
  }

  private static String fromJar(String file) {
    try (InputStream in = KernelSource.class.getResourceAsStream("/kernels/" + file)) {
      if (in == null) {
        throw new IllegalStateException("kernel source /kernels/" + file + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading /kernels/" + file, e);
    }
  }

  private static String fromDir(Path dir, String file) {
    Path p = dir.resolve(file);
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException("reading kernel source " + p + " (from clprop.kernels.dir / CLPROP_KERNELS_DIR)",
          e);
    }
  }
}
