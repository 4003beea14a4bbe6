package org.clprop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code clprop} command: subcommands for training and benchmarking. */
@Command(name = "clprop", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Trains fully connected sigmoid networks by backpropagation, on OpenCL devices or the CPU.",
    subcommands = {TrainCommand.class, DevicesCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (2 for usage errors, 1 for failures). */
  public static int run(String... args) {
    boolean verbose = false;
    for (String a : args) {
      verbose |= a.equals("--verbose") || a.equals("-v");
    }
    // Before any logger exists: the CLI's own logback configuration, INFO with --verbose.
    System.setProperty("logback.configurationFile", "org/clprop/cli/logback-cli.xml");
    System.setProperty("clprop.log.level", verbose ? "INFO" : "WARN");
    boolean showTrace = verbose;
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("clprop: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      if (showTrace) {
        e.printStackTrace(cmd.getErr());
      }
      return 1;
    });
    return cli.execute(args);
  }
}
