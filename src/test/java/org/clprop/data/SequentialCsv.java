package org.clprop.data;


import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.zip.GZIPInputStream;
import org.clprop.core.MemoryBudget;
import org.clprop.io.DataFormatException;
import org.clprop.io.InputFiles;
import org.clprop.io.IoErrors;

/**
 * The sequential CSV reader clprop had before issue 16, kept as the reference that the parallel
 * {@link CsvReader} must agree with: the same values, bit for bit, and the same messages, on any
 * input without quoted fields (which this one did not unquote).
 *
 * <p>Reads examples from CSV, gzipped or not, one example a line, comma-separated.
 *
 * <ul>
 *   <li>A UTF-8 byte-order mark at the start is skipped.
 *   <li>A first line whose first field is not a number is a header.
 *   <li>The label column is the header column named {@code label}; otherwise {@code labelCol},
 *       0-based, negative counting from the end (-1, the last column, by default).
 *   <li>Labels are integers 0..K-1; every feature must be a finite number; every line must have
 *       as many fields as the first.
 * </ul>
 *
 * Errors name the file and the line (and the column where it helps). Lines are bounded in length
 * and the arrays grow only within the {@link MemoryBudget}.
 */
final class SequentialCsv {
  /** The longest line read. */
  static final int MAX_LINE = 1 << 24;
  private static final String REMEDY = "use a smaller data set";

  private SequentialCsv() {}

  /**
   * Reads {@code file}; {@code labelCol} picks the label column when there is no {@code label}
   * header, as described above.
   *
   * @throws DataFormatException when the file is missing, not UTF-8, corrupt gzip, or breaks a rule
   *     above
   */
  static Table read(Path file, CsvReader.Labels labels, int labelCol) {
    return read(file, fields -> labels, labelCol);
  }

  /**
   * Reads a file of examples for a model of {@code features} inputs: with a label column when the
   * first line has one more field than that, else without (the caller checks the count).
   */
  static Table readFeatures(Path file, int features, int labelCol) {
    return read(file, fields -> fields == features + 1 ? CsvReader.Labels.REQUIRED : CsvReader.Labels.NONE, labelCol);
  }

  private static Table read(Path file, IntFunction<CsvReader.Labels> labelsFor, int labelCol) {
    try (InputStream raw = new BufferedInputStream(InputFiles.open(file), 1 << 16)) {
      raw.mark(2);
      boolean gz = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw;
      var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      BoundedLines lines = new BoundedLines(new InputStreamReader(in, decoder), file.toString(), MAX_LINE);
      return new Parser(file, labelsFor, labelCol).parse(lines);
    } catch (CharacterCodingException e) {
      throw new DataFormatException(file + ": not UTF-8 text", e);
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new DataFormatException(file + ": corrupt or truncated gzip data", e);
    } catch (IOException e) {
      throw new DataFormatException(IoErrors.describe(file, e), e);
    }
  }

  /** One pass over the lines, growing the arrays as rows arrive. */
  private static final class Parser {
    private final Path file;
    private final IntFunction<CsvReader.Labels> labelsFor;
    private final int labelCol;
    private double[] x = new double[1 << 12];
    private int nx;
    private int[] y = new int[256];
    private int[] lines = new int[256];
    private int rows;

    Parser(Path file, IntFunction<CsvReader.Labels> labelsFor, int labelCol) {
      this.file = file;
      this.labelsFor = labelsFor;
      this.labelCol = labelCol;
    }

    Table parse(BoundedLines r) throws IOException {
      int fields = -1;
      int labelAt = -1;
      CsvReader.Labels mode = CsvReader.Labels.NONE;
      String line;
      while ((line = r.next()) != null) {
        int lineNo = r.number();
        if (lineNo == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isBlank()) {
          continue;
        }
        int n = count(line, ',') + 1;
        if (fields < 0) {
          fields = n;
          mode = labelsFor.apply(fields);
          boolean header = !isNumber(field(line, 0).strip());
          if (mode == CsvReader.Labels.REQUIRED) {
            labelAt = labelColumn(line, fields, header, lineNo);
          }
          if (header) {
            continue;
          }
        }
        if (n != fields) {
          throw new DataFormatException(file + ":" + lineNo + ": " + n + " fields, expected " + fields
              + " (as on the first line)");
        }
        addRow(line, fields, labelAt, mode == CsvReader.Labels.REQUIRED ? fields - 1 : fields, lineNo);
      }
      if (rows == 0) {
        throw new DataFormatException(file + ": no examples" + (r.number() == 0 ? " (empty file)" : ""));
      }
      int features = mode == CsvReader.Labels.REQUIRED ? fields - 1 : fields;
      String what = file + ": " + rows + " examples of " + features + " features";
      double[] xs = MemoryBudget.allocate(8L * nx, what, REMEDY, () -> Arrays.copyOf(x, nx));
      int[] ys = mode == CsvReader.Labels.REQUIRED ? MemoryBudget.allocate(4L * rows, what, REMEDY, () -> Arrays.copyOf(y, rows))
          : null;
      return new Table(file, xs, ys, features, MemoryBudget.allocate(4L * rows, what, REMEDY,
          () -> Arrays.copyOf(lines, rows)));
    }

    private int labelColumn(String line, int fields, boolean header, int lineNo) {
      if (header) {
        int start = 0;
        for (int c = 0; c < fields; c++) {
          int end = fieldEnd(line, start);
          if (unquote(line.substring(start, end).strip()).equalsIgnoreCase("label")) {
            return c;
          }
          start = end + 1;
        }
      }
      int at = labelCol < 0 ? fields + labelCol : labelCol;
      if (at < 0 || at >= fields) {
        throw new DataFormatException(file + ":" + lineNo + ": label column " + labelCol + " is outside the "
            + fields + " columns");
      }
      if (fields < 2) {
        throw new DataFormatException(file + ":" + lineNo + ": one column: no room for features and a label");
      }
      return at;
    }

    private void addRow(String line, int fields, int labelAt, int features, int lineNo) {
      if (rows == lines.length) {
        String what = file + ": the labels of " + rows + " examples read by line " + lineNo;
        int grown = MemoryBudget.arrayLength(2L * rows, 4, what, REMEDY);
        lines = MemoryBudget.allocate(4L * grown, what, REMEDY, () -> Arrays.copyOf(lines, grown));
        y = MemoryBudget.allocate(4L * grown, what, REMEDY, () -> Arrays.copyOf(y, grown));
      }
      if ((long) nx + features > x.length) {
        String what = file + ": the features of " + rows + " examples read by line " + lineNo;
        int grown = MemoryBudget.arrayLength(Math.max(2L * x.length, (long) nx + features), 8, what, REMEDY);
        x = MemoryBudget.allocate(8L * grown, what, REMEDY, () -> Arrays.copyOf(x, grown));
      }
      int start = 0;
      for (int c = 0; c < fields; c++) {
        int end = fieldEnd(line, start);
        String v = line.substring(start, end).strip();
        start = end + 1;
        if (c == labelAt) {
          y[rows] = parseLabel(lineNo, c, v);
        } else {
          x[nx++] = parseNumber(lineNo, c, v);
        }
      }
      lines[rows] = lineNo;
      rows++;
    }

    private double parseNumber(int line, int col, String v) {
      double d;
      try {
        d = Double.parseDouble(v);
      } catch (NumberFormatException e) {
        throw new DataFormatException(file + ":" + line + ": column " + (col + 1) + " '" + abbreviate(v)
            + "' is not a number");
      }
      if (!Double.isFinite(d)) {
        throw new DataFormatException(file + ":" + line + ": column " + (col + 1) + " is " + abbreviate(v)
            + "; features must be finite");
      }
      return d;
    }

    private int parseLabel(int line, int col, String v) {
      try {
        double d = Double.parseDouble(v);
        if (d >= 0 && d == Math.rint(d) && d < Integer.MAX_VALUE) {
          return (int) d;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new DataFormatException(file + ":" + line + ": label '" + abbreviate(v) + "' in column " + (col + 1)
          + " is not an integer 0..K-1");
    }
  }

  private static int count(String s, char c) {
    int n = 0;
    for (int i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) {
      n++;
    }
    return n;
  }

  private static int fieldEnd(String line, int start) {
    int end = line.indexOf(',', start);
    return end < 0 ? line.length() : end;
  }

  private static String field(String line, int index) {
    int start = 0;
    for (int i = 0; i < index; i++) {
      start = fieldEnd(line, start) + 1;
    }
    return line.substring(start, fieldEnd(line, start));
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }
}
