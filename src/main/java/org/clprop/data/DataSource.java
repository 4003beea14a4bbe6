package org.clprop.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clprop.io.DataFormatException;

/**
 * Resolves what a user names with {@code --data}: a named dataset ({@code digits},
 * {@code fashion-mnist}, {@code mnist}) or a path: a folder of MNIST-format IDX files, a .csv or
 * .csv.gz file, a .npz with arrays {@code x} and {@code y} (optionally {@code x_test} and
 * {@code y_test}), a folder of those arrays as .npy files, or one .npy table whose label is a
 * column.
 */
public final class DataSource {
  /** Fashion-MNIST's class names, by label 0..9. */
  public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
  /** The seed of the digits' held-out fifth: fixed, so every run is tested on the same digits. */
  public static final long DIGITS_TEST_SEED = 42;

  /**
   * A dataset as loaded.
   *
   * @param name the dataset's name, or the file or folder name of a path
   * @param train the training part (for a single file, all of it)
   * @param test the test part, or null when the source has none
   * @param classNames names of the classes, or empty
   */
  public record Loaded(String name, Dataset train, Dataset test, List<String> classNames) {
    /** Refuses a test part whose examples have another number of features than the training part's. */
    public Loaded {
      if (test != null && test.features() != train.features()) {
        throw new DataFormatException(name + ": the test part has " + test.features() + " features per example "
            + "but the training part has " + train.features());
      }
    }
  }

  private DataSource() {}

  /**
   * Loads {@code spec} as {@code clprop train --data} does: "digits" (embedded), "fashion-mnist"
   * (Debian's dataset-fashion-mnist), a folder of IDX files, a .csv[.gz] whose label is the column
   * named "label" or else the last, a .npz with x and y (and optionally x_test, y_test), a folder of
   * x.npy and y.npy (and x_test.npy, y_test.npy), or a .npy table whose last column is the label.
   */
  public static Loaded load(String spec) {
    return load(spec, null, -1);
  }

  /** Loads {@code spec}; {@code dataDir} overrides the folder of fashion-mnist and names mnist's. */
  public static Loaded load(String spec, Path dataDir, int labelCol) {
    switch (spec) {
      case "digits" -> {
        Split s = Split.of(Digits.load(), 0.2, DIGITS_TEST_SEED);
        return new Loaded("digits", s.first(), s.second(), digitNames());
      }
      case "fashion-mnist" -> {
        Mnist.TrainTest t = Mnist.load(dataDir != null ? dataDir : Mnist.DEBIAN_FASHION_MNIST);
        return new Loaded("fashion-mnist", t.train(), t.test(), FASHION_CLASSES);
      }
      case "mnist" -> {
        if (dataDir == null) {
          throw new DataFormatException("--data mnist needs --data-dir FOLDER holding the four MNIST IDX files");
        }
        Mnist.TrainTest t = Mnist.load(dataDir);
        return new Loaded("mnist", t.train(), t.test(), digitNames());
      }
      default -> {
        return loadPath(Path.of(spec), labelCol);
      }
    }
  }

  /**
   * The files that loading {@code spec} reads (none for the embedded digits), found without
   * reading them: for comparing with a command's output paths before any work starts.
   */
  public static List<Path> inputFiles(String spec, Path dataDir) {
    return switch (spec) {
      case "digits" -> List.of();
      case "fashion-mnist" -> Mnist.files(dataDir != null ? dataDir : Mnist.DEBIAN_FASHION_MNIST);
      case "mnist" -> dataDir == null ? List.of() : Mnist.files(dataDir);
      default -> {
        Path p = Path.of(spec);
        yield NpyData.isFolder(p) ? NpyData.folderFiles(p) : Files.isDirectory(p) ? Mnist.files(p) : List.of(p);
      }
    };
  }

  /**
   * The data a trained model is to be measured on: a named dataset's test part (or its training
   * part when it has none), or all of a file, checked against the model's input and output sizes
   * with the file and line in any message.
   */
  public static Loaded loadForModel(String spec, Path dataDir, int labelCol, int inputs, int classes) {
    Path p = Path.of(spec);
    boolean named = spec.equals("digits") || spec.equals("fashion-mnist") || spec.equals("mnist");
    if (!named && Files.exists(p) && !Files.isDirectory(p) && !spec.endsWith(".npz") && !spec.endsWith(".npy")) {
      Table t = CsvReader.read(p, CsvReader.Labels.REQUIRED, labelCol);
      checkFeatures(p.toString(), t.features(), inputs);
      t.checkLabels(classes, "the model has " + classes + " outputs");
      return new Loaded(p.getFileName().toString(), t.toDataset(classes), null, List.of());
    }
    Loaded l = load(spec, dataDir, labelCol);
    Dataset d = l.test() != null ? l.test() : l.train();
    checkFeatures(spec, d.features(), inputs);
    if (d.classes() > classes) {
      throw new DataFormatException(spec + ": labels up to " + (d.classes() - 1) + " but the model has " + classes
          + " outputs");
    }
    return l;
  }

  private static void checkFeatures(String what, int features, int inputs) {
    if (features != inputs) {
      throw new DataFormatException(what + " has " + features + " features per example but the model takes " + inputs
          + " inputs");
    }
  }

  private static Loaded loadPath(Path p, int labelCol) {
    String name = p.getFileName() == null ? p.toString() : p.getFileName().toString();
    if (NpyData.isFolder(p)) {
      return NpyData.loadFolder(p);
    }
    if (Files.isDirectory(p)) {
      Mnist.TrainTest t = Mnist.load(p);
      return new Loaded(name, t.train(), t.test(), List.of());
    }
    if (!Files.exists(p)) {
      throw new DataFormatException(p + ": no such file, and not a dataset name (digits, fashion-mnist, mnist)");
    }
    if (name.endsWith(".npz")) {
      return NpzData.load(p, name);
    }
    if (name.endsWith(".npy")) {
      return NpyData.loadTable(p, labelCol);
    }
    return new Loaded(name, CsvReader.readDataset(p, labelCol), null, List.of());
  }

  private static List<String> digitNames() {
    List<String> n = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      n.add(Integer.toString(i));
    }
    return n;
  }
}
