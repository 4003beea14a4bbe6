package org.clprop.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the test classpath in a fresh JVM, keeping its exit code and both streams apart. */
public final class ChildJvm {
  /** What the child did. */
  public record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private ChildJvm() {}

  /** The java command for {@code mainClass} with {@code args}, on this JVM's classpath, with the Vector API. */
  public static List<String> command(Class<?> mainClass, String... args) {
    return command(System.getProperty("java.class.path"), mainClass.getName(), args);
  }

  /** The java command for the main class named {@code mainClass} on {@code classpath}, with the Vector API. */
  public static List<String> command(String classpath, String mainClass, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-cp", classpath, mainClass));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * Runs {@code command} with {@code env} changes (a null value removes the variable), streams to
   * files so that a child blocked on a full pipe cannot hang the test.
   */
  public static Result run(List<String> command, Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    return run(command, env, null, timeoutSeconds);
  }

  /** As {@link #run(List, Map, long)}, in the working folder {@code workDir} (null: this one's). */
  public static Result run(List<String> command, Map<String, String> env, Path workDir, long timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    env.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    Path out = Files.createTempFile("clprop-child", ".out");
    Path err = Files.createTempFile("clprop-child", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("the child did not finish in " + timeoutSeconds + " s: " + command);
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
