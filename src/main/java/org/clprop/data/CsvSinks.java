package org.clprop.data;

import java.nio.file.Path;
import java.util.Arrays;
import org.clprop.core.MemoryBudget;

/** Where the rows of a CSV file go, chunk by chunk in file order: a {@link Dataset}'s storage, or a {@link Table}. */
final class CsvSinks {
  private CsvSinks() {}

  /** Takes parsed chunks in file order. */
  interface Sink<R> {
    /** Whether features are kept as doubles. */
    boolean wide();

    /** The format, once the first record has fixed it. */
    void begin(CsvChunk.Format f);

    /** The chunk's rows; {@code linesBefore} lines of the file precede it. */
    void accept(CsvChunk c, long linesBefore);

    /** Rows taken so far. */
    long rows();

    R finish();
  }

  /** float32 features straight into storage blocks, labels into a growing array: a training set. */
  static final class ToDataset implements Sink<Dataset> {
    private final Path file;
    private RowBlocks x;
    private int[] labels = new int[0];
    private long line;

    ToDataset(Path file) {
      this.file = file;
    }

    @Override
    public boolean wide() {
      return false;
    }

    @Override
    public void begin(CsvChunk.Format f) {
      x = new RowBlocks(f.features(), false, -1, () -> file + ": the features of " + x.rows() + " examples read by "
          + "line " + line, CsvReader.REMEDY);
    }

    @Override
    public void accept(CsvChunk c, long linesBefore) {
      line = linesBefore + c.lines;
      long rows = x.rows();
      labels = grow(labels, rows, c.rows, () -> file + ": the labels of " + rows + " examples read by line " + line);
      System.arraycopy(c.labels, 0, labels, (int) rows, c.rows);
      x.append(c.floats, 0, c.rows);
    }

    @Override
    public long rows() {
      return x == null ? 0 : x.rows();
    }

    @Override
    public Dataset finish() {
      int m = (int) x.rows();
      int[] y = labels.length == m ? labels : MemoryBudget.allocate(4L * m, file + ": " + m + " labels",
          CsvReader.REMEDY, () -> Arrays.copyOf(labels, m));
      return new Dataset(x.finish(), y, NpyData.classes(y));
    }
  }

  /** Double features, labels (or none) and each row's line: a {@link Table}, for evaluation and gradients. */
  static final class ToTable implements Sink<Table> {
    private final Path file;
    private CsvChunk.Format format;
    private double[] x = new double[0];
    private int[] labels = new int[0];
    private int[] lines = new int[0];
    private int rows;

    ToTable(Path file) {
      this.file = file;
    }

    @Override
    public boolean wide() {
      return true;
    }

    @Override
    public void begin(CsvChunk.Format f) {
      format = f;
    }

    @Override
    public void accept(CsvChunk c, long linesBefore) {
      int w = format.features();
      long line = linesBefore + c.lines;
      String what = file + ": the features of " + rows + " examples read by line " + line;
      long values = (long) (rows + c.rows) * w;
      if (values > x.length) {
        int grown = MemoryBudget.arrayLength(Math.max(values, Math.min(MemoryBudget.MAX_ARRAY_LENGTH, 2L * x.length)),
            8, what, CsvReader.REMEDY);
        double[] old = x;
        x = MemoryBudget.allocate(8L * grown, what, CsvReader.REMEDY, () -> Arrays.copyOf(old, grown));
      }
      System.arraycopy(c.doubles, 0, x, rows * w, c.rows * w);
      if (format.labelAt() >= 0) {
        labels = grow(labels, rows, c.rows, () -> what);
        System.arraycopy(c.labels, 0, labels, rows, c.rows);
      }
      lines = grow(lines, rows, c.rows, () -> what);
      for (int i = 0; i < c.rows; i++) {
        lines[rows + i] = (int) (linesBefore + c.rowLines[i]);
      }
      rows += c.rows;
    }

    @Override
    public long rows() {
      return rows;
    }

    @Override
    public Table finish() {
      String what = file + ": " + rows + " examples of " + format.features() + " features";
      long n = (long) rows * format.features();
      double[] xs = x.length == n ? x : MemoryBudget.allocate(8L * n, what, CsvReader.REMEDY,
          () -> Arrays.copyOf(x, (int) n));
      int[] ys = format.labelAt() < 0 ? null : labels.length == rows ? labels
          : MemoryBudget.allocate(4L * rows, what, CsvReader.REMEDY, () -> Arrays.copyOf(labels, rows));
      int[] ls = lines.length == rows ? lines : MemoryBudget.allocate(4L * rows, what, CsvReader.REMEDY,
          () -> Arrays.copyOf(lines, rows));
      return new Table(file, xs, ys, format.features(), ls);
    }
  }

  /** {@code a} with room for {@code more} ints after the first {@code used}: doubled through the budget when short. */
  static int[] grow(int[] a, long used, int more, java.util.function.Supplier<String> what) {
    long want = used + more;
    if (want <= a.length) {
      return a;
    }
    String w = what.get();
    int grown = MemoryBudget.arrayLength(Math.max(want, Math.min(MemoryBudget.MAX_ARRAY_LENGTH, 2L * a.length)), 4,
        w, CsvReader.REMEDY);
    return MemoryBudget.allocate(4L * grown, w, CsvReader.REMEDY, () -> Arrays.copyOf(a, grown));
  }
}
