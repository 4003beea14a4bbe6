package org.clprop.testutil;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Python 3 that tests use to read clprop's files with NumPy or run its ONNX models in ONNX
 * Runtime. Candidates: {@code CLPROP_PYTHON} alone when it is set (as .ci/run sets it to the
 * virtual environment it installs onnx and onnxruntime into); otherwise Debian's
 * {@code /usr/bin/python3}, then {@code python3} on the PATH. The first that imports the modules
 * a test needs is taken.
 */
public final class Python {
  private static final Logger LOG = LoggerFactory.getLogger(Python.class);
  private static final Map<List<String>, Optional<String>> FOUND = new ConcurrentHashMap<>();
  private static final Set<List<String>> SAID = ConcurrentHashMap.newKeySet();

  private Python() {}

  /** An interpreter that imports every one of {@code modules}, if there is one. */
  public static Optional<String> find(String... modules) {
    return FOUND.computeIfAbsent(List.of(modules), Python::search);
  }

  /**
   * As {@link #find}, or the test is skipped, the reason logged once as {@code SKIPPING ...} with
   * what to install; when the environment variable {@code requiredBy} is set (as .ci/run sets it),
   * the test fails instead, so that CI cannot pass by skipping.
   */
  public static String require(String requiredBy, String install, String... modules) {
    Optional<String> py = find(modules);
    if (py.isPresent()) {
      return py.get();
    }
    String why = "no Python 3 with " + String.join(", ", modules) + " (" + candidates() + "; " + install + ")";
    if (isSet(requiredBy)) {
      fail(requiredBy + " is set but there is " + why);
    }
    if (SAID.add(List.of(modules))) {
      LOG.warn("SKIPPING the tests that need Python with {}: {}", String.join(", ", modules), why);
    }
    Assumptions.abort(why);
    return null;
  }

  /** Whether the environment variable {@code name} is set to something else than empty, 0 or false. */
  public static boolean isSet(String name) {
    String v = System.getenv(name);
    return v != null && !v.isBlank() && !v.equals("0") && !v.equalsIgnoreCase("false");
  }

  /** Runs {@code python args...}; fails the test with the output unless it exits 0 in time. */
  public static String run(String python, long timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(python));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("python did not finish in " + timeoutSeconds + " s:\n" + out);
    }
    if (p.exitValue() != 0) {
      fail("python exited " + p.exitValue() + ":\n" + out);
    }
    return out;
  }

  private static String candidates() {
    String env = System.getenv("CLPROP_PYTHON");
    return env != null && !env.isBlank() ? "CLPROP_PYTHON=" + env : "tried /usr/bin/python3 and python3";
  }

  private static Optional<String> search(List<String> modules) {
    String env = System.getenv("CLPROP_PYTHON");
    List<String> candidates = env != null && !env.isBlank() ? List.of(env) : List.of("/usr/bin/python3", "python3");
    for (String py : candidates) {
      try {
        Process p = new ProcessBuilder(py, "-c", "import " + String.join(", ", modules)).redirectErrorStream(true)
            .start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return Optional.of(py);
        }
        p.destroyForcibly();
      } catch (IOException e) {
        // not installed: the next candidate
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
