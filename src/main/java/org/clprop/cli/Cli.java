package org.clprop.cli;

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
}
