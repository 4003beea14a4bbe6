package org.clprop.opencl;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as on a machine without any OpenCL library: in a private mount namespace
 * ({@code unshare -m}, or {@code unshare -rm} without root) with every {@code libOpenCL.so*} the
 * dynamic linker could find covered by /dev/null. On a machine without the library the command runs
 * as it is.
 */
public final class HiddenOpenCl {
  private HiddenOpenCl() {}

  /** The real files behind every libOpenCL.so* in the folders the dynamic linker searches. */
  static List<Path> libraryFiles() throws IOException {
    TreeSet<Path> dirs = new TreeSet<>();
    for (Path p : OpenClLibrary.candidates()) {
      dirs.add(p.getParent());
    }
    TreeSet<Path> files = new TreeSet<>();
    for (Path d : dirs) {
      try (DirectoryStream<Path> s = Files.newDirectoryStream(d, "libOpenCL.so*")) {
        for (Path f : s) {
          files.add(f.toRealPath());
        }
      }
    }
    return new ArrayList<>(files);
  }

  /**
   * {@code command} wrapped so that it runs without the OpenCL library, or empty when this machine
   * cannot make a private mount namespace (no unshare, or neither root nor user namespaces).
   */
  public static Optional<List<String>> wrap(List<String> command) throws IOException, InterruptedException {
    List<Path> libs = libraryFiles();
    if (libs.isEmpty()) {
      return Optional.of(command);
    }
    StringBuilder script = new StringBuilder();
    for (Path lib : libs) {
      script.append("mount --bind /dev/null '").append(lib).append("' && ");
    }
    script.append("exec \"$@\"");
    for (List<String> unshare : List.of(List.of("unshare", "-m"), List.of("unshare", "-r", "-m"))) {
      if (works(unshare)) {
        List<String> wrapped = new ArrayList<>(unshare);
        wrapped.addAll(List.of("--", "sh", "-c", script.toString(), "sh"));
        wrapped.addAll(command);
        return Optional.of(wrapped);
      }
    }
    return Optional.empty();
  }

  private static boolean works(List<String> unshare) throws InterruptedException {
    List<String> probe = new ArrayList<>(unshare);
    probe.addAll(List.of("--", "sh", "-c", "mount --bind /dev/null /dev/null"));
    try {
      Process p = new ProcessBuilder(probe).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
