package org.clprop.cli;

import org.clprop.Trainer;
import org.clprop.backend.BackendKind;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** --backend and --device, shared by the subcommands that run a network. */
final class BackendOptions {
  @Option(names = "--backend", defaultValue = "auto", description = "auto, cpu or opencl. Default: ${DEFAULT-VALUE}.")
  String backend;

  @Option(names = "--device", description = "OpenCL device by index or part of its name (see clprop devices).")
  String device;

  /** The backend asked for; an unknown value is a usage error. */
  BackendKind kind(CommandSpec spec) {
    return Cli.parseEnum(spec, BackendKind.class, backend, "--backend");
  }

  /** Sets the backend choice on {@code b}. */
  Trainer.Builder apply(CommandSpec spec, Trainer.Builder b) {
    return b.backend(kind(spec)).device(device);
  }
}
