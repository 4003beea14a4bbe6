package org.clprop.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.clprop.core.MemoryBudget;
import org.clprop.io.DataFormatException;
import org.clprop.io.InputFiles;
import org.clprop.io.IoErrors;

/**
 * Reads IDX files (the format of MNIST and Fashion-MNIST), gzipped or not: a big-endian header of
 * two zero bytes, a type byte (0x08, unsigned bytes, is the only type these datasets use), the
 * number of dimensions, then each dimension as a 32-bit integer, then the data.
 *
 * <p>Sizes are checked against the data actually present, so a header that claims more than the
 * file holds fails with a message instead of a huge allocation.
 */
public final class IdxReader {
  /**
   * An IDX array of unsigned bytes with its dimensions.
   *
   * @param dims the dimensions, as in the header: the item count first
   * @param data the values, row-major (last dimension fastest)
   */
  public record IdxArray(int[] dims, byte[] data) {
    /** The number of items: the first dimension. */
    public int count() {
      return dims[0];
    }

    /** Values per item: the product of the dimensions after the first. */
    public int itemSize() {
      int n = 1;
      for (int i = 1; i < dims.length; i++) {
        n *= dims[i];
      }
      return n;
    }
  }

  /** Largest array read: 2^31 - 9 bytes, just under Java's array limit. */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

  private IdxReader() {}

  /**
   * Reads {@code file}. A gzipped file is decompressed once and kept in clprop's cache
   * ({@link DecompressedCache}): inflating Fashion-MNIST takes a quarter of a second each time.
   */
  public static IdxArray read(Path file) {
    Path entry = DecompressedCache.entry(file);
    if (entry != null) {
      IdxArray cached = DecompressedCache.load(entry);
      if (cached != null) {
        return cached;
      }
    }
    IdxArray a = decode(file);
    if (entry != null) {
      DecompressedCache.store(file, entry, a);
    }
    return a;
  }

  /** Reads {@code file}, gzipped or not, with no cache. */
  static IdxArray decode(Path file) {
    try (InputStream raw = new BufferedInputStream(InputFiles.open(file), 1 << 16)) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      boolean gz = b0 == 0x1f && b1 == 0x8b;
      try (InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw) {
        return read(in, file.toString(), gz || !Files.isRegularFile(file) ? -1 : Files.size(file));
      }
    } catch (ZipException e) {
      throw new DataFormatException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
    } catch (EOFException e) {
      throw new DataFormatException(file + ": truncated gzip data", e);
    } catch (IOException e) {
      throw new UncheckedIOException(IoErrors.describe(file, e), e);
    }
  }

  /** Reads one IDX array from {@code in}; {@code name} appears in error messages. */
  public static IdxArray read(InputStream in, String name) throws IOException {
    return read(in, name, -1);
  }

  /**
   * As above, where the stream is known to hold {@code size} bytes in all (a plain file), or -1:
   * when the header's claim fits in that, the values are read into one array of their size.
   */
  static IdxArray read(InputStream in, String name, long size) throws IOException {
    byte[] head = in.readNBytes(4);
    if (head.length < 4) {
      throw new DataFormatException(name + ": " + head.length + " bytes, too short for an IDX header (byte offset "
          + head.length + ")");
    }
    if (head[0] != 0 || head[1] != 0) {
      throw new DataFormatException(String.format("%s: bad IDX magic %02x%02x%02x%02x at byte offset 0 "
          + "(expected 0000 then type and dimension count)", name, head[0], head[1], head[2], head[3]));
    }
    if ((head[2] & 0xff) != 0x08) {
      throw new DataFormatException(String.format("%s: IDX type 0x%02x at byte offset 2; only unsigned bytes "
          + "(0x08) are supported", name, head[2] & 0xff));
    }
    int nd = head[3] & 0xff;
    if (nd < 1 || nd > 4) {
      throw new DataFormatException(name + ": " + nd + " dimensions at byte offset 3; expected 1 to 4");
    }
    byte[] dimBytes = in.readNBytes(4 * nd);
    if (dimBytes.length < 4 * nd) {
      throw new DataFormatException(name + ": header ends at byte offset " + (4 + dimBytes.length) + ", inside the "
          + nd + " dimensions");
    }
    int[] dims = new int[nd];
    long total = 1;
    for (int i = 0; i < nd; i++) {
      int at = 4 * i;
      dims[i] = ((dimBytes[at] & 0xff) << 24) | ((dimBytes[at + 1] & 0xff) << 16) | ((dimBytes[at + 2] & 0xff) << 8)
          | (dimBytes[at + 3] & 0xff);
      if (dims[i] <= 0) {
        throw new DataFormatException(name + ": dimension " + i + " is " + dims[i] + " at byte offset " + (4 + at)
            + "; dimensions must be positive");
      }
      total *= dims[i];
      if (total > MAX_BYTES) {
        throw new DataFormatException(name + ": the header claims more than " + MAX_BYTES + " values; not an IDX "
            + "file clprop can hold");
      }
    }
    int headerBytes = 4 + 4 * nd;
    if (size >= 0 && size < headerBytes + total) {
      throw new DataFormatException(name + ": truncated: the header claims " + total + " values but the data ends "
          + "at byte offset " + size);
    }
    MemoryBudget.require(total, name + ": " + dimsString(dims) + " bytes as its header declares",
        "use a smaller data set");
    byte[] data = readUpTo(in, (int) total, size >= 0);
    if (data.length < total) {
      throw new DataFormatException(name + ": truncated: the header claims " + total + " values but the data ends "
          + "at byte offset " + (headerBytes + data.length));
    }
    if (in.read() != -1) {
      throw new DataFormatException(name + ": trailing bytes after the " + total + " values the header claims (byte "
          + "offset " + (headerBytes + total) + ")");
    }
    return new IdxArray(dims, data);
  }

  private static String dimsString(int[] dims) {
    StringBuilder b = new StringBuilder();
    for (int d : dims) {
      b.append(b.length() == 0 ? "" : "x").append(d);
    }
    return b.toString();
  }

  /**
   * Up to {@code n} bytes, fewer if the stream ends first. Unless the caller knows that the stream
   * holds them ({@code known}), the buffer starts at 1 MiB and doubles as data arrives, so a
   * header's false claim costs no more than the file (the doubling copies cost a cached
   * Fashion-MNIST read a third of its time, hence the exact size where it is known). Reads go
   * straight into it in large pieces (InputStream.readNBytes reads 8 KiB at a time and copies them
   * all once more, a third of the time to inflate Fashion-MNIST).
   */
  private static byte[] readUpTo(InputStream in, int n, boolean known) throws IOException {
    byte[] buf = new byte[known ? n : Math.min(n, 1 << 20)];
    int have = 0;
    while (have < n) {
      if (have == buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
      }
      // At most 1 MiB per call: FileInputStream stages a larger read in a malloc'd buffer of its size.
      int got = in.read(buf, have, Math.min(buf.length - have, 1 << 20));
      if (got < 0) {
        break;
      }
      have += got;
    }
    return have == buf.length ? buf : Arrays.copyOf(buf, have);
  }
}
