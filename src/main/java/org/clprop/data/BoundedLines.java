package org.clprop.data;

import java.io.IOException;
import java.io.Reader;
import org.clprop.io.DataFormatException;

/**
 * Lines of text, each at most {@code maxChars} long: input without line breaks (/dev/zero, a
 * binary file) fails at that length, naming the file and line, instead of filling the heap. Ends
 * lines at \n, \r\n or \r, as BufferedReader does.
 */
final class BoundedLines {
  private final Reader in;
  private final String name;
  private final int maxChars;
  private final char[] buf = new char[1 << 16];
  private final StringBuilder line = new StringBuilder();
  private int pos;
  private int end;
  private int number;
  private boolean skipLf;

  BoundedLines(Reader in, String name, int maxChars) {
    this.in = in;
    this.name = name;
    this.maxChars = maxChars;
  }

  /** The number of the line last returned, from 1. */
  int number() {
    return number;
  }

  /** The next line without its terminator, or null at the end of the input. */
  String next() throws IOException {
    line.setLength(0);
    boolean any = false;
    while (true) {
      if (pos == end) {
        end = in.read(buf, 0, buf.length);
        pos = 0;
        if (end <= 0) {
          end = 0;
          if (!any) {
            return null;
          }
          number++;
          return line.toString();
        }
      }
      if (skipLf) {
        skipLf = false;
        if (buf[pos] == '\n') {
          pos++;
          continue;
        }
      }
      any = true;
      int start = pos;
      while (pos < end && buf[pos] != '\n' && buf[pos] != '\r') {
        pos++;
      }
      if (line.length() + (pos - start) > maxChars) {
        throw new DataFormatException(name + ":" + (number + 1) + ": a line longer than " + maxChars
            + " characters; not a CSV file of examples");
      }
      line.append(buf, start, pos - start);
      if (pos < end) {
        skipLf = buf[pos] == '\r';
        pos++;
        number++;
        return line.toString();
      }
    }
  }
}
