package org.clprop.hostile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.clprop.cli.CliRunner;

/**
 * The clprop command line in a child JVM that takes one command after another: for tries that
 * need a small heap, a process without root's file permissions, or a small file system that fills
 * up. Each command line goes in as one line, each result comes back as one line.
 */
final class ChildCli implements AutoCloseable {
  private static final String SEP = "\u001f";
  private final Process process;
  private final Writer in;
  private final BufferedReader out;

  private ChildCli(Process process) {
    this.process = process;
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** A child JVM with {@code jvmOptions}, started through {@code wrapper} (a command and its arguments), if any. */
  static ChildCli start(List<String> wrapper, List<String> jvmOptions, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(wrapper);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1", "-cp",
        System.getProperty("java.class.path"), Server.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    return new ChildCli(p);
  }

  /** Runs one command line in the child. */
  CliRunner.Result run(String... args) throws IOException {
    in.write(String.join(SEP, args) + "\n");
    in.flush();
    String line = out.readLine();
    if (line == null) {
      throw new IOException("the child JVM ended (exit " + waitFor() + ")");
    }
    String[] f = line.split(SEP, -1);
    Base64.Decoder d = Base64.getDecoder();
    return new CliRunner.Result(Integer.parseInt(f[0]), new String(d.decode(f[1]), StandardCharsets.UTF_8),
        new String(d.decode(f[2]), StandardCharsets.UTF_8));
  }

  /** Removes the files in {@code dir} as the child sees it. */
  void clear(Path dir) throws IOException {
    run("@clear", dir.toString());
  }

  /** The names and sizes of the files in {@code dir} as the child sees it (its own mounts). */
  String list(Path dir) throws IOException {
    return run("@ls", dir.toString()).out();
  }

  private int waitFor() {
    try {
      return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() {
    process.destroy();
    waitFor();
  }

  /** The child's main: one command per line of standard input, one result per line of standard output. */
  public static final class Server {
    private Server() {}

    public static void main(String[] a) throws IOException {
      PrintStream results = System.out;
      System.setOut(System.err); // only results on the channel
      BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      Base64.Encoder e = Base64.getEncoder();
      String line;
      while ((line = commands.readLine()) != null) {
        String[] args = line.split(SEP, -1);
        CliRunner.Result r;
        if (args[0].equals("@ls")) {
          try (Stream<Path> s = Files.list(Path.of(args[1]))) {
            r = new CliRunner.Result(0, s.map(p -> p.getFileName() + " " + p.toFile().length()).sorted()
                .collect(Collectors.joining("\n")), "");
          }
        } else if (args[0].equals("@clear")) {
          try (Stream<Path> s = Files.list(Path.of(args[1]))) {
            for (Path p : s.toList()) {
              Files.delete(p);
            }
          }
          r = new CliRunner.Result(0, "", "");
        } else {
          r = CliRunner.run(args);
        }
        results.println(r.code() + SEP + e.encodeToString(r.out().getBytes(StandardCharsets.UTF_8)) + SEP
            + e.encodeToString(r.err().getBytes(StandardCharsets.UTF_8)));
        results.flush();
      }
    }
  }
}
