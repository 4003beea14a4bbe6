package org.clprop.data;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The first record of a CSV file, found in its first chunk: blank lines skipped, fields split at
 * commas outside quotes (RFC 4180; a quoted field may span lines here, as spreadsheets write
 * header names). It fixes the number of fields, and when its first field is not a number it is a
 * header, which names the columns.
 *
 * @param lineNo the record's line number, from 1
 * @param names its fields, unquoted and stripped
 * @param header whether it is a header (its first field is not a number)
 * @param dataStart the byte offset in the chunk where the data lines start: after the header, or
 *     at the record itself when it is data
 * @param linesBefore lines of the chunk before {@code dataStart}
 */
record CsvHeader(int lineNo, List<String> names, boolean header, int dataStart, int linesBefore) {

  /** The first record of b[0, len), or null when those bytes hold only blank lines ({@code lines[0]} gets their count). */
  static CsvHeader find(byte[] b, int len, int firstLine, int[] lines) {
    int p = 0;
    int line = firstLine;
    while (p < len) {
      int start = p;
      int end = p;
      while (end < len && b[end] != '\n' && b[end] != '\r') {
        end++;
      }
      if (!decode(b, start, end).isBlank()) {
        return record(b, len, start, line, firstLine);
      }
      p = after(b, end, len);
      line++;
    }
    lines[0] = line - firstLine;
    return null;
  }

  /** The record at {@code start}, on line {@code line}. */
  private static CsvHeader record(byte[] b, int len, int start, int line, int firstLine) {
    List<String> fields = new ArrayList<>();
    int p = start;
    int spanned = 0;
    while (true) {
      int fieldStart = p;
      int q = p;
      while (q < len && CsvNumbers.blank(b[q])) {
        q++;
      }
      String text;
      if (q < len && b[q] == '"') {
        int r = q + 1;
        while (r < len && !(b[r] == '"' && (r + 1 >= len || b[r + 1] != '"'))) {
          if (b[r] == '\n' || b[r] == '\r' && (r + 1 >= len || b[r + 1] != '\n')) {
            spanned++;
          }
          r += b[r] == '"' ? 2 : 1;
        }
        r = Math.min(r, len);
        p = Math.min(r + 1, len);
        int e = fieldEnd(b, p, len);
        // Text after the closing quote stays part of the field.
        text = decode(b, q + 1, r).replace("\"\"", "\"") + decode(b, p, e);
        p = e;
      } else {
        p = fieldEnd(b, q, len);
        text = decode(b, fieldStart, p);
      }
      fields.add(text.strip());
      if (p < len && b[p] == ',') {
        p++;
        continue;
      }
      break;
    }
    boolean header = !isNumber(fields.get(0));
    int lines = line - firstLine;
    return header ? new CsvHeader(line, fields, true, after(b, p, len), lines + 1 + spanned)
        : new CsvHeader(line, fields, false, start, lines);
  }

  /** The end of the field at {@code p}: the next comma or line terminator. */
  private static int fieldEnd(byte[] b, int p, int len) {
    while (p < len && b[p] != ',' && b[p] != '\n' && b[p] != '\r') {
      p++;
    }
    return p;
  }

  /** The offset after the line terminator at {@code end} (\n, \r\n or \r). */
  private static int after(byte[] b, int end, int len) {
    if (end < len && b[end] == '\r' && end + 1 < len && b[end + 1] == '\n') {
      return end + 2;
    }
    return Math.min(end + 1, len);
  }

  /** As the sequential reader tells a header: the first field does not parse as a double. */
  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static String decode(byte[] b, int from, int to) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, from, to - from)).toString();
    } catch (CharacterCodingException e) {
      throw new CsvChunk.NotUtf8();
    }
  }
}
