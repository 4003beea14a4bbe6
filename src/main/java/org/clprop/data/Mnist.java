package org.clprop.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.clprop.core.MemoryBudget;
import org.clprop.io.DataFormatException;

/**
 * The MNIST layout shared by MNIST and Fashion-MNIST: four IDX files in one folder, gzipped or
 * not, 28x28 grey pixels scaled to [0, 1], ten classes.
 */
public final class Mnist {
  /** Where Debian's dataset-fashion-mnist installs Fashion-MNIST. */
  public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  /**
   * The training and test parts.
   *
   * @param train the examples of the {@code train-*} files, held as pixel bytes
   * @param test the examples of the {@code t10k-*} files
   */
  public record TrainTest(Dataset train, Dataset test) {}

  private Mnist() {}

  /**
   * Reads {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte} and their {@code t10k}
   * counterparts (each plain or {@code .gz}) from {@code dir}.
   *
   * @throws DataFormatException when a file is missing or malformed, or the images and labels
   *     disagree
   */
  public static TrainTest load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException(dir + ": no such folder (for Fashion-MNIST on Debian: apt-get install "
          + "dataset-fashion-mnist)");
    }
    // The test part decodes on a second thread while this one reads the six times larger training
    // part, which stays as pixel bytes (the CPU backend reads them; see Dataset).
    Future<Dataset> test = DataThreads.submit(() -> pair(dir, "t10k", false));
    Dataset train = pair(dir, "train", true);
    try {
      return new TrainTest(train, DataThreads.await(test));
    } catch (IOException e) {
      throw new IllegalStateException("interrupted while loading " + dir, e);
    }
  }

  private static Dataset pair(Path dir, String prefix, boolean asPixels) {
    Path images = find(dir, prefix + "-images-idx3-ubyte");
    IdxReader.IdxArray x = IdxReader.read(images);
    Path labels = find(dir, prefix + "-labels-idx1-ubyte");
    IdxReader.IdxArray y = IdxReader.read(labels);
    if (x.dims().length != 3) {
      throw new DataFormatException(images + ": " + x.dims().length + " dimensions, images need 3");
    }
    if (y.dims().length != 1) {
      throw new DataFormatException(labels + ": " + y.dims().length + " dimensions, labels need 1");
    }
    if (x.count() != y.count()) {
      throw new DataFormatException(images + " has " + x.count() + " images but " + labels + " has " + y.count()
          + " labels");
    }
    int f = x.itemSize();
    byte[] px = x.data();
    MemoryBudget.require(4L * y.count() + (asPixels ? 0 : 4L * px.length), images + ": " + y.count()
        + " images of " + f + " pixels" + (asPixels ? "" : " as float32") + " with their labels", "use a smaller data set");
    int[] lab = new int[y.count()];
    for (int i = 0; i < lab.length; i++) {
      lab[i] = y.data()[i] & 0xff;
      if (lab[i] > 9) {
        throw new DataFormatException(labels + ": label " + lab[i] + " at byte offset " + (8 + i)
            + " is outside 0..9");
      }
    }
    return Dataset.ofPixels(px, lab, f, 10);
  }

  private static Path find(Path dir, String base) {
    for (Path p : candidates(dir, base)) {
      if (isFile(p)) {
        return p;
      }
    }
    throw new DataFormatException(dir + ": no " + base + ".gz or " + base);
  }

  /** The files {@link #load} reads from {@code dir}: for comparing with output paths first. */
  public static List<Path> files(Path dir) {
    List<Path> files = new ArrayList<>();
    for (String prefix : new String[] {"train", "t10k"}) {
      for (String kind : new String[] {"-images-idx3-ubyte", "-labels-idx1-ubyte"}) {
        candidates(dir, prefix + kind).stream().filter(Mnist::isFile).findFirst().ifPresent(files::add);
      }
    }
    return files;
  }

  private static List<Path> candidates(Path dir, String base) {
    return List.of(dir.resolve(base + ".gz"), dir.resolve(base), dir.resolve(base.replace("-idx", ".idx") + ".gz"));
  }

  /** A file to read: a regular file or a named pipe, not a folder. */
  private static boolean isFile(Path p) {
    return Files.exists(p) && !Files.isDirectory(p);
  }
}
