package org.clprop.cli;

import java.nio.file.Path;
import org.clprop.data.DataSource;
import picocli.CommandLine.Option;

/** The options that say where data comes from, shared by the subcommands. */
final class DataOptions {
  @Option(names = "--data-dir", description = "Folder of the IDX files for fashion-mnist (default: Debian's "
      + "/usr/share/datasets/fashion-mnist) or mnist.")
  Path dataDir;

  @Option(names = "--label-col", defaultValue = "-1", description = "CSV label column, 0-based, negative from the "
      + "end, when no header column is named 'label'. Default: ${DEFAULT-VALUE}.")
  int labelCol;

  DataSource.Loaded load(String data) {
    return DataSource.load(data, dataDir, labelCol);
  }
}
