package org.clprop.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.clprop.io.AtomicFiles;
import org.clprop.io.SameFile;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The files a command reads and writes, by option, checked before any work starts (usage errors,
 * exit 2): no output may be an input or another output, however the paths are spelt (symbolic and
 * hard links, relative names: {@link SameFile}), and an output's folder must take a new file now
 * rather than at the end of a long run.
 */
final class FileOptions {
  private record Named(String option, Path path, boolean probe) {}

  private final CommandSpec spec;
  private final List<Named> inputs = new ArrayList<>();
  private final List<Named> outputs = new ArrayList<>();
  private final Set<String> allowed = new HashSet<>();

  FileOptions(CommandSpec spec) {
    this.spec = spec;
  }

  /** A file the command reads; null for none. */
  FileOptions reads(String option, Path path) {
    if (path != null) {
      inputs.add(new Named(option, path, false));
    }
    return this;
  }

  FileOptions reads(String option, Collection<Path> paths) {
    paths.forEach(p -> reads(option, p));
    return this;
  }

  /** A file the command writes; null for none. With {@code probe}, its folder must take a file now. */
  FileOptions writes(String option, Path path, boolean probe) {
    if (path != null) {
      outputs.add(new Named(option, path, probe));
    }
    return this;
  }

  /**
   * Lets {@code output} be the same file as {@code input}: for a file that the command reads whole
   * first and then replaces with its own continuation (a checkpoint resumed and written again).
   */
  FileOptions mayReplace(String output, String input) {
    allowed.add(output + "\n" + input);
    return this;
  }

  void check() {
    for (int i = 0; i < outputs.size(); i++) {
      Named out = outputs.get(i);
      for (Named in : inputs) {
        if (!allowed.contains(out.option + "\n" + in.option) && SameFile.test(out.path, in.path)) {
          throw usage(out.option + " and " + in.option + " name the same file (" + in.path + "): writing " + out.option
              + " would destroy " + in.option + "; give " + out.option + " another file");
        }
      }
      for (Named other : outputs.subList(0, i)) {
        if (SameFile.test(out.path, other.path)) {
          throw usage(other.option + " and " + out.option + " name the same file (" + out.path + "): one would "
              + "overwrite the other; give them different files");
        }
      }
      if (out.probe) {
        try {
          AtomicFiles.checkWritable(out.path);
        } catch (IOException e) {
          throw usage(out.option + ": " + e.getMessage());
        }
      }
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
