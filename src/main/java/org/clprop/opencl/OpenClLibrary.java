package org.clprop.opencl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds and loads the OpenCL ICD loader ({@code libOpenCL.so.1}) on Linux before JOCL tries to:
 * JOCL's native code reports each name it fails to open with {@code printf}, on the process's
 * standard output, where a command's results go. Looking where the dynamic linker looks
 * (LD_LIBRARY_PATH, its cache, the folders of ld.so.conf, the default folders) and loading the
 * first match with {@link System#load} makes JOCL's own lookup of the same name succeed silently,
 * or tells why there is no library without JOCL ever printing. Elsewhere JOCL looks by itself.
 */
final class OpenClLibrary {
  /** The names JOCL asks the dynamic linker for, in its order. */
  private static final List<String> NAMES = List.of("libOpenCL.so.1", "libOpenCL.so");
  private static final Path LD_CACHE = Path.of("/etc/ld.so.cache");
  private static final Path LD_CONF = Path.of("/etc/ld.so.conf");

  private OpenClLibrary() {}

  /** Null when the OpenCL library is loaded (or this is not Linux), else why it cannot be. */
  static String loadOrExplain() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return null;
    }
    List<String> failures = new ArrayList<>();
    for (Path candidate : candidates()) {
      if (!isElf(candidate)) {
        // Loading it would fail as well, but HotSpot would first warn about its stack guard.
        failures.add(candidate + ": not a shared library");
        continue;
      }
      try {
        System.load(candidate.toString());
        return null;
      } catch (UnsatisfiedLinkError e) {
        failures.add(e.getMessage());
      }
    }
    if (failures.isEmpty()) {
      return "the OpenCL library is not installed (no " + NAMES.get(0) + " where the dynamic linker looks)";
    }
    return "the OpenCL library could not be loaded (" + String.join("; ", failures) + ")";
  }

  private static boolean isElf(Path file) {
    byte[] head = new byte[4];
    try (java.io.InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(head, 0, 4) == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  /** The files behind the names JOCL asks for, in the dynamic linker's order of folders, each once. */
  static List<Path> candidates() {
    Set<Path> dirs = new LinkedHashSet<>();
    String ld = System.getenv("LD_LIBRARY_PATH");
    if (ld != null) {
      for (String d : ld.split(":")) {
        if (!d.isEmpty()) {
          dirs.add(Path.of(d));
        }
      }
    }
    Set<Path> files = new LinkedHashSet<>();
    for (String name : NAMES) {
      for (Path d : dirs) {
        files.add(d.resolve(name));
      }
      files.addAll(cached(name));
    }
    dirs.clear();
    confDirs(LD_CONF, dirs, 0);
    dirs.addAll(defaultDirs());
    for (String name : NAMES) {
      for (Path d : dirs) {
        files.add(d.resolve(name));
      }
    }
    Set<Path> real = new LinkedHashSet<>();
    for (Path f : files) {
      try {
        real.add(f.toRealPath());
      } catch (IOException | SecurityException e) {
        // not there, or a dangling link: the dynamic linker would skip it too
      }
    }
    return List.copyOf(real);
  }

  /**
   * The paths ending in "/" + name in the linker's cache. Its string table holds each library's full
   * path NUL-terminated, so scanning the strings finds them without parsing the entry format.
   */
  private static List<Path> cached(String name) {
    List<Path> out = new ArrayList<>();
    byte[] cache;
    try {
      cache = Files.readAllBytes(LD_CACHE);
    } catch (IOException | SecurityException e) {
      return out;
    }
    String suffix = "/" + name;
    int start = 0;
    for (int i = 0; i < cache.length; i++) {
      if (cache[i] == 0) {
        if (i - start > suffix.length() && cache[start] == '/') {
          String s = new String(cache, start, i - start, StandardCharsets.ISO_8859_1);
          if (s.endsWith(suffix)) {
            out.add(Path.of(s));
          }
        }
        start = i + 1;
      }
    }
    return out;
  }

  /** The folders listed in an ld.so.conf, following its include lines (globs in the last component). */
  private static void confDirs(Path conf, Set<Path> dirs, int depth) {
    List<String> lines;
    try {
      lines = Files.readAllLines(conf, StandardCharsets.UTF_8);
    } catch (IOException | SecurityException | java.io.UncheckedIOException e) {
      return;
    }
    for (String raw : lines) {
      String line = raw.replaceFirst("#.*", "").strip();
      if (line.startsWith("include") && depth < 8) {
        String pattern = line.substring("include".length()).strip();
        Path p = conf.resolveSibling(pattern);
        Path parent = p.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
          continue;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, p.getFileName().toString())) {
          List<Path> sorted = new ArrayList<>();
          s.forEach(sorted::add);
          sorted.sort(null);
          for (Path f : sorted) {
            confDirs(f, dirs, depth + 1);
          }
        } catch (IOException | SecurityException e) {
          // an unreadable folder of the linker's configuration: skip it as ldconfig would
        }
      } else if (line.startsWith("/")) {
        dirs.add(Path.of(line));
      }
    }
  }

  /** The linker's built-in folders: the multiarch ones of Debian and Ubuntu, then lib64 and lib. */
  private static List<Path> defaultDirs() {
    String arch = System.getProperty("os.arch", "");
    String triplet = switch (arch) {
      case "amd64", "x86_64" -> "x86_64-linux-gnu";
      case "aarch64" -> "aarch64-linux-gnu";
      case "ppc64le" -> "powerpc64le-linux-gnu";
      case "riscv64" -> "riscv64-linux-gnu";
      default -> null;
    };
    List<Path> out = new ArrayList<>();
    if (triplet != null) {
      out.add(Path.of("/lib", triplet));
      out.add(Path.of("/usr/lib", triplet));
    }
    for (String d : List.of("/lib64", "/usr/lib64", "/lib", "/usr/lib")) {
      out.add(Path.of(d));
    }
    return out;
  }
}
