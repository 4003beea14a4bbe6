package org.clprop.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks shared by the subcommands, failing as usage errors (exit 2) before any work starts. */
final class Cli {
  private Cli() {}

  static <E extends Enum<E>> E parseEnum(CommandSpec spec, Class<E> type, String value, String option) {
    try {
      return Enum.valueOf(type, value.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + ": unknown value '" + value + "'; expected one of "
          + Arrays.toString(type.getEnumConstants()).toLowerCase());
    }
  }

  /** The folder of an output file must exist, so that a long run does not fail at its very end. */
  static void checkWritable(CommandSpec spec, Path out, String option) {
    if (out == null) {
      return;
    }
    Path dir = out.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new ParameterException(spec.commandLine(), option + ": folder " + dir + " does not exist");
    }
    if (Files.isDirectory(out)) {
      throw new ParameterException(spec.commandLine(), option + ": " + out + " is a folder");
    }
  }
}
