package org.clprop.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads examples from CSV (gzipped when the name ends in .gz), one example a line, comma-separated.
 *
 * <ul>
 *   <li>A first line whose first field is not a number is a header.
 *   <li>The label column is the header column named {@code label}; otherwise {@code labelCol},
 *       0-based, negative counting from the end (-1, the last column, by default).
 *   <li>Labels are integers 0..K-1; every feature must be a finite number; every line must have
 *       as many fields as the first.
 * </ul>
 *
 * Errors name the file and the line (and the column where it helps).
 */
public final class CsvReader {
  /** Whether the file has a label column. */
  public enum Labels {
    /** Every line has a label, in the label column. */
    REQUIRED,
    /** No column is a label: every field is a feature. */
    NONE
  }

  private CsvReader() {}

  /**
   * Reads {@code file}; {@code labelCol} picks the label column when there is no {@code label}
   * header, as described above.
   *
   * @throws DataFormatException when the file is missing, not UTF-8, corrupt gzip, or breaks a rule
   *     above
   */
  public static Table read(Path file, Labels labels, int labelCol) {
    try (InputStream raw = Files.newInputStream(file)) {
      InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
      var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, decoder), 1 << 16)) {
        return parse(file, r, labels, labelCol);
      }
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file + ": no such file");
    } catch (CharacterCodingException e) {
      throw new DataFormatException(file + ": not UTF-8 text", e);
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      throw new DataFormatException(file + ": corrupt or truncated gzip data", e);
    } catch (IOException e) {
      throw new DataFormatException(file + ": " + e.getMessage(), e);
    }
  }

  private static Table parse(Path file, BufferedReader r, Labels mode, int labelCol) throws IOException {
    double[] x = new double[1 << 12];
    int nx = 0;
    int[] y = new int[256];
    int[] lines = new int[256];
    int rows = 0;
    int fields = -1;
    int labelAt = -1;
    String line;
    int lineNo = 0;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      if (fields < 0) {
        fields = f.length;
        boolean header = !isNumber(f[0].strip());
        if (mode == Labels.REQUIRED) {
          labelAt = -1;
          if (header) {
            for (int c = 0; c < f.length; c++) {
              if (unquote(f[c].strip()).equalsIgnoreCase("label")) {
                labelAt = c;
              }
            }
          }
          if (labelAt < 0) {
            labelAt = labelCol < 0 ? fields + labelCol : labelCol;
            if (labelAt < 0 || labelAt >= fields) {
              throw new DataFormatException(file + ":" + lineNo + ": label column " + labelCol + " is outside the "
                  + fields + " columns");
            }
          }
          if (fields < 2) {
            throw new DataFormatException(file + ":" + lineNo + ": one column: no room for features and a label");
          }
        }
        if (header) {
          continue;
        }
      }
      if (f.length != fields) {
        throw new DataFormatException(file + ":" + lineNo + ": " + f.length + " fields, expected " + fields
            + " (as on the first line)");
      }
      if (rows == lines.length) {
        lines = Arrays.copyOf(lines, rows * 2);
        y = Arrays.copyOf(y, rows * 2);
      }
      int features = mode == Labels.REQUIRED ? fields - 1 : fields;
      if (nx + features > x.length) {
        x = Arrays.copyOf(x, Math.max(x.length * 2, nx + features));
      }
      for (int c = 0; c < fields; c++) {
        String v = f[c].strip();
        if (c == labelAt) {
          y[rows] = parseLabel(file, lineNo, c, v);
          continue;
        }
        double d = parseNumber(file, lineNo, c, v);
        x[nx++] = d;
      }
      lines[rows] = lineNo;
      rows++;
    }
    if (rows == 0) {
      throw new DataFormatException(file + ": no examples" + (lineNo == 0 ? " (empty file)" : ""));
    }
    int features = mode == Labels.REQUIRED ? fields - 1 : fields;
    return new Table(file, Arrays.copyOf(x, nx), mode == Labels.REQUIRED ? Arrays.copyOf(y, rows) : null, features,
        Arrays.copyOf(lines, rows));
  }

  private static double parseNumber(Path file, int line, int col, String v) {
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new DataFormatException(file + ":" + line + ": column " + (col + 1) + " '" + abbreviate(v)
          + "' is not a number");
    }
    if (!Double.isFinite(d)) {
      throw new DataFormatException(file + ":" + line + ": column " + (col + 1) + " is " + v
          + "; features must be finite");
    }
    return d;
  }

  private static int parseLabel(Path file, int line, int col, String v) {
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
