package org.clprop.cli;

import picocli.CommandLine.Option;

/** --verbose: declared here for --help and parsing; {@link Main} reads it before any logger exists. */
final class VerboseOption {
  @Option(names = {"-v", "--verbose"}, description = "Log progress and show stack traces on errors.")
  boolean verbose;
}
