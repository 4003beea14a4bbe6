package org.clprop.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.clprop.config.Settings;
import org.clprop.core.MemoryBudget;
import org.clprop.core.MemoryBudgetException;
import org.clprop.io.DataFormatException;
import org.clprop.opencl.OpenClException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code clprop} command. Exit codes: 0 success, 2 usage errors (unknown options, bad values),
 * 1 failures (unreadable or malformed files, devices). Errors are one line on stderr, with a stack
 * trace only under {@code --verbose}.
 */
@Command(name = "clprop", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Trains fully connected sigmoid networks by backpropagation, on OpenCL devices or the CPU.")
public final class Main {
  /** The subcommands, in the order the help lists them. */
  private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("train", TrainCommand::new);
    COMMANDS.put("evaluate", EvaluateCommand::new);
    COMMANDS.put("predict", PredictCommand::new);
    COMMANDS.put("grad", GradCommand::new);
    COMMANDS.put("export", ExportCommand::new);
    COMMANDS.put("convert", ConvertCommand::new);
    COMMANDS.put("devices", DevicesCommand::new);
    COMMANDS.put("bench", BenchCommand::new);
    COMMANDS.put("help", CommandLine.HelpCommand::new);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line with the process's streams and returns the exit code. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line, writing results to {@code out} and errors to {@code err}. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    boolean verbose = false;
    for (String a : args) {
      verbose |= a.equals("--verbose") || a.equals("-v");
    }
    // Before any logger exists: the CLI's own logging (CliLogging), INFO with --verbose.
    Settings.set(Settings.CLI_LOGGING, "true");
    Settings.set(Settings.LOG_LEVEL, verbose ? "INFO" : "WARN");
    boolean showTrace = verbose;
    CommandLine cli = new CommandLine(new Main());
    // picocli builds a command's model from its annotations, about 10 ms each: when the first
    // argument names a subcommand, only that one is built (the help command lists them all).
    Supplier<Object> named = args.length > 0 && !args[0].equals("help") ? COMMANDS.get(args[0]) : null;
    if (named != null) {
      cli.addSubcommand(args[0], named.get());
    } else {
      COMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
    }
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((e, a) -> {
      CommandLine cmd = e.getCommandLine();
      cmd.getErr().println("clprop: " + e.getMessage());
      cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
      return 2;
    });
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      boolean expected = e instanceof DataFormatException || e instanceof IllegalArgumentException
          || e instanceof IllegalStateException || e instanceof IOException || e instanceof UncheckedIOException
          || e instanceof OpenClException || e instanceof MemoryBudgetException;
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      cmd.getErr().println("clprop: " + (expected ? msg : "internal error: " + e));
      if (showTrace) {
        e.printStackTrace(cmd.getErr());
      }
      cmd.getErr().flush();
      return 1;
    });
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError | StackOverflowError e) {
      // A net under the memory budget and the bounded parsers: one line, not a JVM trace.
      err.println("clprop: internal error: " + e + (e instanceof OutOfMemoryError ? " (Java heap maximum "
          + MemoryBudget.size(Runtime.getRuntime().maxMemory()) + "; a larger one may help: -Xmx)" : ""));
      if (showTrace) {
        e.printStackTrace(err);
      }
      err.flush();
      return 1;
    }
  }
}
