package org.clprop.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Cuts a stream of text into chunks of whole lines, about {@code target} bytes each: a chunk ends
 * after its last \n, or, where it holds none, after its last \r that is not its final byte (which
 * may be the first half of a \r\n). A chunk grows past {@code target} only for a line longer than
 * that, and at most to just past {@code maxLine} bytes: a longer line marks the chunk
 * {@link CsvChunk#tooLong} instead of filling memory (the parse checks the lines it holds). The
 * bytes after a chunk's last line are carried into the next one.
 */
final class CsvSplitter {
  private final InputStream in;
  private final int target;
  private final int maxLine;
  private byte[] carry = new byte[0];
  private int carried;
  private boolean eof;
  private boolean first = true;
  private boolean bom;
  /** The size of the next chunk: from 4 KiB, doubling up to the target. */
  private int size;

  CsvSplitter(InputStream in, int target, int maxLine) {
    this.in = in;
    this.target = target;
    this.maxLine = maxLine;
    this.size = Math.min(target, 4 << 10);
  }

  /**
   * Fills {@code c} with the next chunk; false at the end of the input. A UTF-8 byte-order mark at
   * the start is dropped. The first chunks are small and the size doubles up to the target, so
   * that a small file costs little.
   */
  boolean next(CsvChunk c) throws IOException {
    if (eof && carried == 0) {
      return false;
    }
    int want = Math.max(size, carried + (carried >> 1) + 1);
    size = Math.min(target, 2 * size);
    if (c.text.length < want) {
      c.text = new byte[want];
    }
    System.arraycopy(carry, 0, c.text, 0, carried);
    int len = carried;
    int limit = want;
    c.tooLong = false;
    int scanned = 0;
    while (true) {
      len = fill(c, len, limit);
      if (first) {
        first = false;
        if (len >= 3 && (c.text[0] & 0xff) == 0xef && (c.text[1] & 0xff) == 0xbb && (c.text[2] & 0xff) == 0xbf) {
          System.arraycopy(c.text, 3, c.text, 0, len - 3);
          len -= 3;
          bom = true;
        }
      }
      if (len == 0 && eof) {
        return false;
      }
      int cut = eof ? len : lastLineEnd(c.text, scanned, len);
      if (cut > 0) {
        c.length = cut;
        carried = len - cut;
        if (carry.length < carried) {
          carry = new byte[carried + (carried >> 1)];
        }
        System.arraycopy(c.text, cut, carry, 0, carried);
        return true;
      }
      if (len > maxLine) {
        c.tooLong = true;
        c.length = 0;
        carried = 0;
        eof = true;
        return true;
      }
      // No line ends in the chunk: a long line; grow (to just past the longest line allowed) and read on.
      scanned = Math.max(0, len - 1);
      limit = (int) Math.min(maxLine + 2L, Math.max(2L * limit, len + 1L));
      if (c.text.length < limit) {
        c.text = Arrays.copyOf(c.text, limit);
      }
    }
  }

  /** Whether the input started with a byte-order mark (which was dropped). */
  boolean sawBom() {
    return bom;
  }

  /** Whether the input is used up: the chunk last filled was the last. */
  boolean done() {
    return eof && carried == 0;
  }

  /** Reads until the chunk's array is full or the input ends. */
  private int fill(CsvChunk c, int len, int limit) throws IOException {
    while (len < limit && !eof) {
      int got = in.read(c.text, len, Math.min(limit - len, 1 << 20));
      if (got < 0) {
        eof = true;
      } else {
        len += got;
      }
    }
    return len;
  }

  /** The index after the chunk's last line end in b[from, len): after the last \n, else after a \r not at len - 1; 0 if none. */
  private static int lastLineEnd(byte[] b, int from, int len) {
    for (int i = len - 1; i >= from; i--) {
      if (b[i] == '\n') {
        return i + 1;
      }
    }
    for (int i = len - 2; i >= from; i--) {
      if (b[i] == '\r') {
        return i + 1;
      }
    }
    return 0;
  }
}
