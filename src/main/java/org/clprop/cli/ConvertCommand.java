package org.clprop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.clprop.data.DataSource;
import org.clprop.data.DatasetFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code clprop convert}: a data set, once, in the layout clprop reads fastest. */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = {"Write a data set once in the layout clprop reads fastest, so that a CSV is parsed once.",
        "--out DIR: a folder of x.npy and y.npy (x_test.npy, y_test.npy for a test part), mapped when the heap "
            + "cannot hold them;",
        "--out FILE.npy: one table whose last column is the label (no test part); --out FILE.npz: the arrays "
            + "in a .npz, stored.",
        "Pixels stay uint8, other features become float32, labels int32."})
final class ConvertCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DataOptions dataOptions;

  @Option(names = "--data", required = true, description = "Any data train takes: digits, fashion-mnist, mnist, a "
      + "folder of IDX files, a .csv[.gz], a .npz, a .npy table or a folder of .npy files.")
  String data;

  @Option(names = "--out", required = true, description = "A folder (made when missing), a .npy or a .npz.")
  Path out;

  @Mixin
  VerboseOption verbose;

  @Override
  public Integer call() throws IOException {
    String name = out.getFileName() == null ? "" : out.getFileName().toString();
    boolean npy = name.endsWith(".npy");
    boolean npz = name.endsWith(".npz");
    List<Path> written = new ArrayList<>();
    if (npy || npz) {
      written.add(out);
    } else {
      if (Files.exists(out) && !Files.isDirectory(out)) {
        throw new ParameterException(spec.commandLine(), "--out: " + out + " is a file; give a folder, a .npy or "
            + "a .npz");
      }
      for (String f : List.of("x.npy", "y.npy", "x_test.npy", "y_test.npy")) {
        if (Files.exists(out.resolve(f))) {
          throw new ParameterException(spec.commandLine(), "--out: " + out + " already holds " + f + "; give a new "
              + "or empty folder");
        }
        written.add(out.resolve(f));
      }
    }
    FileOptions files = new FileOptions(spec).reads("--data", DataSource.inputFiles(data, dataOptions.dataDir));
    for (Path p : written) {
      files.writes("--out", p, Files.isDirectory(p.getParent() == null ? Path.of(".") : p.getParent()));
    }
    files.check();
    DataSource.Loaded d = dataOptions.load(data);
    if (npy && d.test() != null) {
      throw new ParameterException(spec.commandLine(), "--out: a .npy holds one table, and " + d.name() + " has a "
          + "test part too; give a folder or a .npz to keep both");
    }
    if (npy) {
      DatasetFiles.table(d.train(), out);
    } else if (npz) {
      DatasetFiles.npz(d.train(), d.test(), out);
    } else {
      Files.createDirectories(out);
      DatasetFiles.folder(d.train(), d.test(), out);
    }
    spec.commandLine().getOut().printf("%s: %d examples of %d features%s written to %s%n", d.name(), d.train().size(),
        d.train().features(), d.test() == null ? "" : " and a test part of " + d.test().size(), out);
    return 0;
  }
}
