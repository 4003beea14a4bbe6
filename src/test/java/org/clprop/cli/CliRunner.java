package org.clprop.cli;

/** Runs the command line in this JVM from tests outside the cli package. */
public final class CliRunner {
  /** The exit code and both streams. */
  public record Result(int code, String out, String err) {}

  private CliRunner() {}

  public static Result run(String... args) {
    CliRun r = CliRun.of(args);
    return new Result(r.code(), r.out(), r.err());
  }
}
