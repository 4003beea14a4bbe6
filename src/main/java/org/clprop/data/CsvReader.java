package org.clprop.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.zip.GZIPInputStream;
import org.clprop.config.Settings;
import org.clprop.io.DataFormatException;
import org.clprop.io.InputFiles;
import org.clprop.io.IoErrors;

/**
 * Reads examples from CSV, gzipped or not (told by its first bytes, so pipes work too), one example
 * a line, comma-separated, in one pass (a pipe or FIFO can be read only once).
 *
 * <ul>
 *   <li>RFC 4180 as spreadsheets and pandas write it: quoted fields ("1.5", "a ""b"""), \r\n or \n
 *       line ends, a UTF-8 byte-order mark at the start (skipped).
 *   <li>A first line whose first field is not a number is a header.
 *   <li>The label column is the header column named {@code label}; otherwise {@code labelCol},
 *       0-based, negative counting from the end (-1, the last column, by default).
 *   <li>Labels are integers 0..K-1; every feature must be a finite number; every line must have
 *       as many fields as the first.
 * </ul>
 *
 * The text is cut into chunks of whole lines ({@link CsvSplitter}) that worker threads, one per
 * core, parse ({@link CsvChunk}) while this thread reads on and takes their rows in file order
 * straight into the data set's storage ({@link RowBlocks}): float32 for training, double for a
 * {@link Table}. Numbers parse from the bytes with exactly {@link Double#parseDouble}'s values
 * ({@link CsvNumbers}). Errors name the file and the line (and the column where it helps), the
 * first in the file as a sequential reader would; lines are bounded in length and storage grows
 * only within the {@link org.clprop.core.MemoryBudget}.
 */
public final class CsvReader {
  /** Whether the file has a label column. */
  public enum Labels {
    /** Every line has a label, in the label column. */
    REQUIRED,
    /** No column is a label: every field is a feature. */
    NONE
  }

  /** The longest line read. */
  static final int MAX_LINE = 1 << 24;
  static final String REMEDY = "use a smaller data set";
  private static final AtomicInteger THREADS = new AtomicInteger();

  private CsvReader() {}

  /**
   * Reads {@code file}; {@code labelCol} picks the label column when there is no {@code label}
   * header, as described above. Features are kept in double precision.
   *
   * @throws DataFormatException when the file is missing, not UTF-8, corrupt gzip, or breaks a rule
   *     above
   */
  public static Table read(Path file, Labels labels, int labelCol) {
    return read(file, fields -> labels, labelCol, new CsvSinks.ToTable(file));
  }

  /**
   * Reads a file of examples for a model of {@code features} inputs: with a label column when the
   * first line has one more field than that, else without (the caller checks the count).
   */
  public static Table readFeatures(Path file, int features, int labelCol) {
    return read(file, fields -> fields == features + 1 ? Labels.REQUIRED : Labels.NONE, labelCol,
        new CsvSinks.ToTable(file));
  }

  /**
   * Reads a training set: labels required, features as float32 in the data set's storage blocks,
   * K the largest label plus one.
   */
  public static Dataset readDataset(Path file, int labelCol) {
    return read(file, fields -> Labels.REQUIRED, labelCol, new CsvSinks.ToDataset(file));
  }

  /**
   * Bytes per chunk: 4 MiB; less in a small heap (a chunk and its rows are held a few times over),
   * and no more than a storage block ({@code clprop.data.blockBytes}, which tests lower so that a
   * small file spans many chunks).
   */
  static int chunkBytes() {
    long block = Settings.intValue(Settings.DATA_BLOCK_BYTES, RowBlocks.DEFAULT_BLOCK_BYTES);
    return (int) Math.max(256, Math.min(Math.min(4 << 20, block), Runtime.getRuntime().maxMemory() / 128));
  }

  private static <R> R read(Path file, IntFunction<Labels> labelsFor, int labelCol, CsvSinks.Sink<R> sink) {
    try (InputStream raw = new BufferedInputStream(InputFiles.open(file), 1 << 16)) {
      raw.mark(2);
      boolean gz = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw;
      return new Pass<>(file, new CsvSplitter(in, chunkBytes(), MAX_LINE), labelsFor, labelCol, sink).run();
    } catch (CsvChunk.NotUtf8 e) {
      throw new DataFormatException(file + ": not UTF-8 text", e);
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new DataFormatException(file + ": corrupt or truncated gzip data", e);
    } catch (IOException e) {
      throw new DataFormatException(IoErrors.describe(file, e), e);
    }
  }

  /** One pass over the chunks: the first record on this thread, then the rest in parallel, taken in order. */
  private static final class Pass<R> {
    private final Path file;
    private final CsvSplitter chunks;
    private final IntFunction<Labels> labelsFor;
    private final int labelCol;
    private final CsvSinks.Sink<R> sink;
    private final int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private final Deque<CsvChunk> free = new ArrayDeque<>();
    private final Deque<Pending> pending = new ArrayDeque<>();
    private ExecutorService pool;
    private CsvChunk.Format format;
    /** Lines of the chunks taken so far. */
    private long lines;
    /** The first float32 overflow, reported after the whole file has parsed. */
    private String overflow;

    private record Pending(CsvChunk chunk, Future<?> done) {}

    Pass(Path file, CsvSplitter chunks, IntFunction<Labels> labelsFor, int labelCol, CsvSinks.Sink<R> sink) {
      this.file = file;
      this.chunks = chunks;
      this.labelsFor = labelsFor;
      this.labelCol = labelCol;
      this.sink = sink;
    }

    R run() throws IOException {
      try {
        CsvChunk c = new CsvChunk(1 << 12);
        if (!firstRecord(c)) {
          // A byte-order mark alone is a line of its own, as the sequential reader counted it.
          throw new DataFormatException(file + ": no examples" + (lines == 0 && !chunks.sawBom() ? " (empty file)"
              : ""));
        }
        while (true) {
          start(c);
          c = !free.isEmpty() ? free.poll() : !pending.isEmpty() ? takeOldest() : new CsvChunk(1 << 12);
          if (!chunks.next(c)) {
            break;
          }
        }
        while (!pending.isEmpty()) {
          takeOldest();
        }
      } finally {
        if (pool != null) {
          pool.shutdownNow();
        }
      }
      if (sink.rows() == 0) {
        throw new DataFormatException(file + ": no examples");
      }
      if (overflow != null) {
        throw new DataFormatException(overflow);
      }
      return sink.finish();
    }

    /**
     * Reads chunks up to the first record and fixes the format from it; leaves in {@code c} the
     * data lines of its chunk. False when the input holds no record.
     */
    private boolean firstRecord(CsvChunk c) throws IOException {
      int[] blank = new int[1];
      while (chunks.next(c)) {
        if (c.tooLong) {
          throw new DataFormatException(file + ":" + (lines + 1) + ": " + CsvChunk.tooLong(MAX_LINE));
        }
        CsvHeader h = CsvHeader.find(c.text, c.length, (int) lines + 1, blank);
        if (h == null) {
          lines += blank[0];
          continue;
        }
        int fields = h.names().size();
        Labels mode = labelsFor.apply(fields);
        int labelAt = mode == Labels.REQUIRED ? labelColumn(h, fields) : -1;
        format = new CsvChunk.Format(file.toString(), fields, labelAt, sink.wide(), MAX_LINE);
        sink.begin(format);
        System.arraycopy(c.text, h.dataStart(), c.text, 0, c.length - h.dataStart());
        c.length -= h.dataStart();
        lines += h.linesBefore();
        return true;
      }
      return false;
    }

    private int labelColumn(CsvHeader h, int fields) {
      if (h.header()) {
        List<String> names = h.names();
        for (int col = 0; col < fields; col++) {
          String n = names.get(col);
          if (n.equalsIgnoreCase("label")) {
            return col;
          }
        }
      }
      int at = labelCol < 0 ? fields + labelCol : labelCol;
      if (at < 0 || at >= fields) {
        throw new DataFormatException(file + ":" + h.lineNo() + ": label column " + labelCol + " is outside the "
            + fields + " columns");
      }
      if (fields < 2) {
        throw new DataFormatException(file + ":" + h.lineNo() + ": one column: no room for features and a label");
      }
      return at;
    }

    /** Parses {@code c}: here when it is the whole input, else on a worker. */
    private void start(CsvChunk c) {
      if (pool == null && pending.isEmpty() && chunks.done()) {
        if (!c.tooLong) {
          c.parse(format);
        }
        take(c);
        free.add(c);
        return;
      }
      if (pool == null) {
        pool = Executors.newFixedThreadPool(threads, r -> {
          Thread t = new Thread(r, "clprop-csv-" + THREADS.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
        for (int i = 0; i < threads + 1; i++) {
          free.add(new CsvChunk(1 << 12));
        }
      }
      pending.add(new Pending(c, c.tooLong ? null : pool.submit(() -> c.parse(format))));
    }

    /** Waits for the oldest chunk in flight, takes its rows and returns it for reuse. */
    private CsvChunk takeOldest() throws IOException {
      Pending p = pending.poll();
      DataThreads.await(p.done());
      take(p.chunk());
      return p.chunk();
    }

    /** The chunk's rows into the sink, or its error with the line counted from the file's start. */
    private void take(CsvChunk c) {
      if (c.tooLong) {
        throw new DataFormatException(file + ":" + (lines + 1) + ": " + CsvChunk.tooLong(MAX_LINE));
      }
      if (c.error != null) {
        throw new DataFormatException(file + ":" + (lines + c.errorLine) + ": " + c.error);
      }
      if (c.overflow != null && overflow == null) {
        overflow = file + ":" + (lines + c.overflowLine) + ": " + c.overflow;
      }
      sink.accept(c, lines);
      lines += c.lines;
    }
  }
}
