package org.clprop.data;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * One chunk of a CSV file, whole lines of UTF-8 text, and what parsing it gives: its rows'
 * features (float32, or double for {@link Table}s), labels and, for tables, each row's line. A
 * worker thread parses it; the reading thread then takes the rows in file order. Chunks are
 * reused: the arrays grow to the largest chunk and stay.
 *
 * <p>A line is fields separated by commas; a field is a number with blanks around it, or a quoted
 * field (RFC 4180: "..." with "" for a quote inside). Blank lines are skipped. A line's errors
 * are reported in the order the sequential reader found them: its field count first, then its
 * first bad value. A float32 overflow is only remembered (the first one), as the sequential reader
 * found those after reading the whole file.
 */
final class CsvChunk {
  /**
   * What every line must be.
   *
   * @param file the file, for messages
   * @param fields fields per line
   * @param labelAt the label's field, or -1 when every field is a feature
   * @param wide whether features are kept as doubles (for a {@link Table}) rather than float32
   * @param maxLine the longest line, in bytes
   */
  record Format(String file, int fields, int labelAt, boolean wide, int maxLine) {
    int features() {
      return labelAt < 0 ? fields : fields - 1;
    }
  }

  /** The text: bytes [0, length) hold whole lines (the last one may lack its terminator at the end of the input). */
  byte[] text;
  int length;
  /** Set instead of text by the reader when a line runs past the longest allowed: reported as this chunk's first line. */
  boolean tooLong;

  float[] floats = new float[0];
  double[] doubles = new double[0];
  int[] labels = new int[0];
  int[] rowLines = new int[0];
  int rows;
  /** Lines in the chunk (terminators, plus a last line without one). */
  int lines;
  /** The first error, by its line within the chunk (1-based), or null. */
  String error;
  int errorLine;
  /** The first float32 overflow, by its line within the chunk, or null. */
  String overflow;
  int overflowLine;

  CsvChunk(int capacity) {
    text = new byte[capacity];
  }

  /** Parses the text by {@code f}, replacing any earlier result. */
  void parse(Format f) {
    rows = 0;
    lines = 0;
    error = null;
    overflow = null;
    int w = f.features();
    // A row of F fields takes at least 2F bytes with its terminator (2F - 1 for a last line without one).
    int maxRows = (length + 1) / (2 * f.fields()) + 1;
    ensure(maxRows, w, f.wide(), f.labelAt() >= 0);
    new Lines(f).run();
  }

  private void ensure(int maxRows, int w, boolean wide, boolean labelled) {
    long values = (long) maxRows * w;
    if (wide && doubles.length < values) {
      doubles = new double[(int) values];
      rowLines = new int[maxRows];
    } else if (!wide && floats.length < values) {
      floats = new float[(int) values];
    }
    if (labelled && labels.length < maxRows) {
      labels = new int[maxRows];
    }
    if (wide && rowLines.length < maxRows) {
      rowLines = new int[maxRows];
    }
  }

  /** The parse of one chunk: a cursor over the text and the line under way. */
  private final class Lines {
    private final Format f;
    private final byte[] b = text;
    private final int end = length;
    private int p;
    /** The current line's number within the chunk, its first bad value's message (or null) and its field count. */
    private int line;
    private String bad;
    private int count;
    private final CsvNumbers.Scan scan = new CsvNumbers.Scan();

    Lines(Format f) {
      this.f = f;
    }

    void run() {
      while (p < end) {
        int start = p;
        line++;
        if (!row(start)) {
          return;
        }
      }
    }

    /** Parses the line at {@code start} into row {@code rows}; false when it ends the chunk with an error. */
    private boolean row(int start) {
      bad = null;
      count = 0;
      int w = f.features();
      int base = rows * w;
      int feature = 0;
      boolean blank = true;
      while (true) {
        int fieldStart = p;
        // Decimals of up to 15 digits ([-]ddd[.ddd]: pixels, counts, printed floats) in a tight loop,
        // exact as m / 10^k is for m < 2^53 (CsvNumbers); other numbers by the scanner.
        double v = CsvNumbers.UNDECIDED;
        int e = p;
        boolean negative = e < end && b[e] == '-';
        if (negative) {
          e++;
        }
        long m = 0;
        int digits = 0;
        int dot = -1;
        for (; e < end; e++) {
          int d = b[e] - '0';
          if (d >= 0 && d <= 9) {
            m = m * 10 + d;
            digits++;
          } else if (b[e] == '.' && dot < 0) {
            dot = e;
          } else {
            break;
          }
        }
        if (digits > 0 && digits <= 15 && (e == end || b[e] == ',' || b[e] == '\n' || b[e] == '\r')) {
          double x = dot < 0 ? m : m / CsvNumbers.pow10(e - dot - 1);
          v = negative ? -x : x;
        } else {
          v = scan.number(b, p, end);
          e = scan.end;
        }
        if (!Double.isNaN(v) && (e == end || b[e] == ',' || b[e] == '\n' || b[e] == '\r')) {
          // The common field: a plain number right up to the comma or the line's end.
          if (count < f.fields() && bad == null) {
            plain(v, p, e, count, base + feature);
          }
          if (count != f.labelAt()) {
            feature++;
          }
          count++;
          p = e;
          blank = false;
          if (p < end && b[p] == ',') {
            p++;
            continue;
          }
          break;
        }
        while (p < end && CsvNumbers.blank(b[p])) {
          p++;
        }
        int from = p;
        int to;
        boolean quoted = p < end && b[p] == '"';
        if (quoted) {
          to = closingQuote(p + 1);
          from = p + 1;
          p = to < end ? to + 1 : end;
          while (p < end && CsvNumbers.blank(b[p])) {
            p++;
          }
          if (p < end && b[p] != ',' && b[p] != '\n' && b[p] != '\r') {
            // Text after the closing quote: the whole field is read as it stands.
            from = fieldStart;
            p = fieldEnd(p);
            to = trimEnd(from, p);
            quoted = false;
          }
        } else {
          p = fieldEnd(p);
          to = trimEnd(from, p);
        }
        blank &= !quoted && to == from;
        if (count < f.fields()) {
          value(fieldStart, from, to, quoted, count, base, feature);
          if (count != f.labelAt()) {
            feature++;
          }
        }
        count++;
        if (p < end && b[p] == ',') {
          p++;
          blank = false;
          continue;
        }
        break;
      }
      int lineEnd = p;
      endOfLine();
      if (lineEnd - start > f.maxLine()) {
        return fail(tooLong(f.maxLine()));
      }
      if (blank || isBlankText(start, lineEnd)) {
        return true;
      }
      if (count != f.fields()) {
        return fail(count + " fields, expected " + f.fields() + " (as on the first line)");
      }
      if (bad != null) {
        return fail(bad);
      }
      if (f.wide()) {
        rowLines[rows] = line;
      }
      rows++;
      return true;
    }

    /** Past the line's terminator (\n, \r\n or \r), counting the line. */
    private void endOfLine() {
      if (p < end && b[p] == '\r') {
        p++;
        if (p < end && b[p] == '\n') {
          p++;
        }
      } else if (p < end) {
        p++;
      }
      lines++;
    }

    private boolean fail(String message) {
      error = message;
      errorLine = line;
      return false;
    }

    /** The plain number v, field {@code col} (text b[from, to)), into the row at {@code at}, or its message into {@code bad}. */
    private void plain(double v, int from, int to, int col, int at) {
      if (col == f.labelAt()) {
        if (v >= 0 && v == Math.rint(v) && v < Integer.MAX_VALUE) {
          labels[rows] = (int) v;
        } else {
          bad = "label '" + abbreviate(decode(from, to)) + "' in column " + (col + 1) + " is not an integer 0..K-1";
        }
      } else if (f.wide()) {
        doubles[at] = v;
      } else {
        float x = (float) v;
        if (Float.isInfinite(x) && overflow == null) {
          overflow = "value " + v + " in column " + (at - rows * f.features() + 1) + " overflows float32";
          overflowLine = line;
        }
        floats[at] = x;
      }
    }

    /** Field {@code col}'s text b[from, to) into the row, or its message into {@code bad}. */
    private void value(int fieldStart, int from, int to, boolean quoted, int col, int base, int feature) {
      if (bad != null) {
        return;
      }
      double v = quoted && contains(from, to, (byte) '"') ? CsvNumbers.UNDECIDED : CsvNumbers.fast(b, from, to);
      String text = null;
      if (Double.isNaN(v)) {
        text = quoted ? unquote(from, to) : decode(fieldStart, p).strip();
        try {
          v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
          bad = col == f.labelAt() ? "label '" + abbreviate(text) + "' in column " + (col + 1) + " is not an integer 0..K-1"
              : "column " + (col + 1) + " '" + abbreviate(text) + "' is not a number";
          return;
        }
      }
      if (col == f.labelAt()) {
        if (!(v >= 0 && v == Math.rint(v) && v < Integer.MAX_VALUE)) {
          String t = text != null ? text : decode(from, to);
          bad = "label '" + abbreviate(t) + "' in column " + (col + 1) + " is not an integer 0..K-1";
          return;
        }
        labels[rows] = (int) v;
        return;
      }
      if (!Double.isFinite(v)) {
        bad = "column " + (col + 1) + " is " + abbreviate(text) + "; features must be finite";
        return;
      }
      if (f.wide()) {
        doubles[base + feature] = v;
        return;
      }
      float x = (float) v;
      if (Float.isInfinite(x) && overflow == null) {
        overflow = "value " + v + " in column " + (feature + 1) + " overflows float32";
        overflowLine = line;
      }
      floats[base + feature] = x;
    }

    /** The index of the quote that closes a quoted field whose text starts at {@code q}, or the line's end. */
    private int closingQuote(int q) {
      while (q < end && b[q] != '\n' && b[q] != '\r') {
        if (b[q] == '"') {
          if (q + 1 < end && b[q + 1] == '"') {
            q += 2;
            continue;
          }
          return q;
        }
        q++;
      }
      return q;
    }

    private int fieldEnd(int q) {
      while (q < end && b[q] != ',' && b[q] != '\n' && b[q] != '\r') {
        q++;
      }
      return q;
    }

    private int trimEnd(int from, int to) {
      while (to > from && CsvNumbers.blank(b[to - 1])) {
        to--;
      }
      return to;
    }

    private boolean contains(int from, int to, byte c) {
      for (int i = from; i < to; i++) {
        if (b[i] == c) {
          return true;
        }
      }
      return false;
    }

    /** A line of blanks other than ASCII ones (String.isBlank's), skipped as the sequential reader did. */
    private boolean isBlankText(int from, int to) {
      for (int i = from; i < to; i++) {
        if (b[i] >= 0 && !CsvNumbers.blank(b[i])) {
          return false;
        }
      }
      return decode(from, to).isBlank();
    }

    private String unquote(int from, int to) {
      return decode(from, to).replace("\"\"", "\"");
    }

    private String decode(int from, int to) {
      try {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, from, to - from)).toString();
      } catch (CharacterCodingException e) {
        throw new NotUtf8();
      }
    }
  }

  /** Thrown out of a parse when a field's bytes are not UTF-8; the reader reports the file. */
  static final class NotUtf8 extends RuntimeException {
    NotUtf8() {
      super(null, null, false, false);
    }
  }

  /** The message of a line longer than {@code maxLine}. */
  static String tooLong(int maxLine) {
    return "a line longer than " + maxLine + " characters; not a CSV file of examples";
  }

  static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }
}
