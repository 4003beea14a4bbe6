package org.clprop.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.clprop.config.Settings;
import org.clprop.core.MemoryBudget;
import org.clprop.io.DataFormatException;
import org.clprop.io.InputFiles;
import org.clprop.io.IoErrors;
import org.clprop.npy.NpyHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data sets in .npy files, the layout {@code clprop convert} writes:
 *
 * <ul>
 *   <li>a folder holding {@code x.npy} (m, features...) and {@code y.npy} (m,), and optionally
 *       {@code x_test.npy} and {@code y_test.npy}: the .npz layout, unzipped;
 *   <li>one {@code .npy} table (m, c) whose label is one of its columns (the last by default, as
 *       in a CSV file).
 * </ul>
 *
 * Features are memory-mapped ({@link MappedRows}) when {@code clprop.data.map} is {@code always},
 * or {@code auto} and the heap cannot hold them; otherwise read into the heap ({@link NpyRows}). A
 * mapped file must be a regular file in C order. Float features are checked finite either way; a
 * mapped file is read once for that (uint8 data needs no check).
 */
final class NpyData {
  private static final Logger LOG = LoggerFactory.getLogger(NpyData.class);
  /** The arrays of a folder, in the order they are listed as inputs. */
  static final List<String> FOLDER_FILES = List.of("x.npy", "y.npy", "x_test.npy", "y_test.npy");

  /** How features are held: {@code clprop.data.map}. */
  enum Map { AUTO, ALWAYS, NEVER }

  private NpyData() {}

  /** Whether {@code dir} is a folder of .npy arrays (it holds x.npy). */
  static boolean isFolder(Path dir) {
    return Files.isDirectory(dir) && Files.exists(dir.resolve("x.npy"));
  }

  /** The files {@link #loadFolder} reads. */
  static List<Path> folderFiles(Path dir) {
    List<Path> files = new ArrayList<>();
    for (String f : FOLDER_FILES) {
      if (Files.exists(dir.resolve(f))) {
        files.add(dir.resolve(f));
      }
    }
    return files;
  }

  /** The setting {@code clprop.data.map}. */
  static Map mapSetting() {
    String v = Settings.get(Settings.DATA_MAP);
    try {
      return v == null ? Map.AUTO : Map.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(Settings.DATA_MAP + ": '" + v + "', expected auto, always or never");
    }
  }

  /** A folder of x.npy and y.npy (and x_test.npy, y_test.npy): training and test parts. */
  static DataSource.Loaded loadFolder(Path dir) {
    String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    boolean hasTest = Files.exists(dir.resolve("x_test.npy")) || Files.exists(dir.resolve("y_test.npy"));
    Part train = part(dir.resolve("x.npy"), dir.resolve("y.npy"));
    Part test = hasTest ? part(dir.resolve("x_test.npy"), dir.resolve("y_test.npy")) : null;
    if (test != null && test.store.features() != train.store.features()) {
      throw new DataFormatException(dir + ": x_test.npy has " + test.store.features() + " features per example but "
          + "x.npy has " + train.store.features());
    }
    int k = Math.max(classes(train.labels), test == null ? 0 : classes(test.labels));
    return new DataSource.Loaded(name, train.dataset(k), test == null ? null : test.dataset(k), List.of());
  }

  /** One .npy table whose column {@code labelCol} (negative: from the end) holds the labels. */
  static DataSource.Loaded loadTable(Path file, int labelCol) {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    NpyRows.Names names = new NpyRows.Names(file.toString(), file.toString(), null);
    Part p = read(file, names, h -> {
      if (h.shape().length != 2) {
        throw new DataFormatException(file + ": " + h.shapeString() + " is not a table (m, columns) with a label "
            + "column; a folder of x.npy and y.npy holds examples of any shape");
      }
      int columns = h.shape()[1];
      int at = labelCol < 0 ? columns + labelCol : labelCol;
      if (columns < 2 || at < 0 || at >= columns) {
        throw new DataFormatException(file + ": label column " + labelCol + " is outside the " + columns + " columns"
            + (columns < 2 ? " (no room for features and a label)" : ""));
      }
      return at;
    });
    return new DataSource.Loaded(name, p.dataset(classes(p.labels)), null, List.of());
  }

  /** Features and labels of one part. */
  private record Part(RowStore store, int[] labels) {
    Dataset dataset(int classes) {
      return new Dataset(store, labels, classes);
    }
  }

  /** Chooses the label column of a table from its header: -1 for none. */
  private interface LabelColumn {
    int of(NpyHeader h);
  }

  private static Part part(Path x, Path y) {
    if (!Files.exists(y)) {
      throw new DataFormatException(x.resolveSibling(y.getFileName()) + ": no such file (the labels of "
          + x.getFileName() + ")");
    }
    Part features = read(x, new NpyRows.Names(x.toString(), x.toString(), null), h -> -1);
    int[] labels = labels(y);
    if (labels.length != features.store.rows()) {
      throw new DataFormatException(y + " has " + labels.length + " labels but " + x + " has " + features.store.rows()
          + " examples");
    }
    return new Part(features.store, labels);
  }

  /** The features (and a table's labels) of {@code file}: mapped or read, as the setting and the heap say. */
  private static Part read(Path file, NpyRows.Names names, LabelColumn labelColumn) {
    try (InputStream in = new BufferedInputStream(InputFiles.open(file), 1 << 16)) {
      NpyHeader h = NpyHeader.read(in, file.toString());
      int skip = labelColumn.of(h);
      checkShape(file, h);
      int w = (int) h.cols() - (skip < 0 ? 0 : 1);
      long heapBytes = (long) h.rows() * w * (h.dtype().isByte() ? 1 : 4);
      Map mode = mapSetting();
      boolean regular = Files.isRegularFile(file);
      if (regular) {
        checkSize(file, h);
      }
      boolean map = mode == Map.ALWAYS || mode == Map.AUTO && !MemoryBudget.fits(heapBytes);
      if (map && regular && !h.fortran()) {
        MappedRows rows = MappedRows.open(file, h, skip);
        LOG.info("{}: {} mapped, not read ({} of features; the heap has room for {})", file, h.describe(),
            MemoryBudget.size(heapBytes), MemoryBudget.fits(heapBytes) ? "them" : "less");
        return new Part(rows, check(rows, h, skip, names));
      }
      String remedy = h.fortran() ? "write it in C order (numpy.ascontiguousarray), which clprop maps rather than "
          + "reads" : regular ? "use a smaller data set" : "give it as a file, which clprop maps rather than reads";
      NpyRows.Read r = NpyRows.read(in, h, skip, names, remedy);
      if (in.read() != -1) {
        throw new DataFormatException(file + ": more bytes than the shape in its header declares");
      }
      return new Part(r.store(), r.labels());
    } catch (IOException e) {
      throw new DataFormatException(IoErrors.describe(file, e), e);
    }
  }

  /** Labels from a 1-D array file. */
  private static int[] labels(Path y) {
    try (InputStream in = new BufferedInputStream(InputFiles.open(y), 1 << 16)) {
      NpyHeader h = NpyHeader.read(in, y.toString());
      if (h.shape().length != 1) {
        throw new DataFormatException(y + ": labels " + h.shapeString() + " must be one per example, (m,)");
      }
      if (Files.isRegularFile(y)) {
        checkSize(y, h);
      }
      int[] labels = NpyRows.labels(in, h, new NpyRows.Names(y.toString(), y.toString(), "y"),
          "use a smaller data set");
      if (in.read() != -1) {
        throw new DataFormatException(y + ": more bytes than the shape in its header declares");
      }
      return labels;
    } catch (IOException e) {
      throw new DataFormatException(IoErrors.describe(y, e), e);
    }
  }

  /** An array of examples: (m, features...) with m and the features positive, a row within one Java array. */
  private static void checkShape(Path file, NpyHeader h) {
    if (h.shape().length < 2 || h.rows() == 0 || h.cols() == 0) {
      throw new DataFormatException(file + ": " + h.shapeString() + " holds no examples (needs (m, features...) "
          + "with m and the features positive)");
    }
    if (h.cols() > MemoryBudget.MAX_ARRAY_LENGTH) {
      throw new DataFormatException(file + ": rows of " + h.cols() + " values, more than one Java array holds");
    }
  }

  /** A regular file must hold exactly the header and the values it declares. */
  private static void checkSize(Path file, NpyHeader h) throws IOException {
    long size = Files.size(file);
    long want = h.dataBytes() < 0 ? -1 : h.dataOffset() + h.dataBytes();
    if (want < 0 || size < want) {
      throw new DataFormatException(file + ": truncated: " + h.describe() + " needs " + (want < 0 ? "more than 2^63"
          : Long.toString(want)) + " bytes with its header, the file has " + size);
    }
    if (size > want) {
      throw new DataFormatException(file + ": more bytes than the shape in its header declares (" + size + ", not "
          + want + ")");
    }
  }

  /**
   * One pass over a mapped file: float features must be finite (float64 ones within float32's
   * range), a table's labels whole numbers 0 .. 2^31 - 2; returns the labels (null without a label
   * column). uint8 features need no pass.
   */
  private static int[] check(MappedRows rows, NpyHeader h, int skip, NpyRows.Names names) {
    int m = rows.rows();
    int[] labels = null;
    if (skip >= 0) {
      labels = MemoryBudget.allocate(4L * m, names.entry() + ": the labels of " + m + " examples",
          "use a smaller data set", () -> new int[m]);
      for (int r = 0; r < m; r++) {
        labels[r] = NpyRows.label(rows.raw(r, skip), names::label, r);
      }
    }
    if (h.dtype().isFloat()) {
      RowCursor c = rows.cursor();
      int w = rows.features();
      for (int r = 0; r < m; r++) {
        c.seek(r);
        float[] f = c.floats();
        if (Finite.all(f, c.offset(), w)) {
          continue;
        }
        for (int j = 0; j < w; j++) {
          if (!Float.isFinite(f[c.offset() + j])) {
            double v = rows.raw(r, skip < 0 || j < skip ? j : j + 1);
            throw new DataFormatException(Double.isFinite(v) ? names.file() + ":" + r + ": value " + v + " in column "
                + (j + 1) + " overflows float32" : names.at(r, j) + " is " + v + "; features must be finite");
          }
        }
      }
    }
    return labels;
  }

  /** The number of classes the labels imply: the largest plus one. */
  static int classes(int[] labels) {
    int k = 0;
    for (int y : labels) {
      k = Math.max(k, y + 1);
    }
    return k;
  }
}
