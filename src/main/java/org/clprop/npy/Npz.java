package org.clprop.npy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.clprop.core.MemoryBudget;
import org.clprop.io.AtomicFiles;
import org.clprop.io.DataFormatException;
import org.clprop.io.InputFiles;
import org.clprop.io.IoErrors;

/**
 * NumPy's .npz: a zip whose entries are .npy arrays named {@code key.npy} (what {@code np.savez}
 * writes and {@code np.load} reads), plus, in clprop's model files, other entries such as
 * {@code meta.json}, which {@code np.load} returns as bytes.
 */
public final class Npz {
  /**
   * The arrays, by key (entry name without ".npy"), and the other entries' bytes, by entry name.
   *
   * @param arrays the .npy entries, by key, in archive order
   * @param other every other entry's bytes, by entry name, in archive order
   */
  public record Contents(Map<String, NpyArray> arrays, Map<String, byte[]> other) {}

  /** The largest entry other than an array (meta.json) read. */
  public static final int MAX_OTHER = 16 << 20;

  private Npz() {}

  /**
   * Reads every entry of {@code file}: .npy entries as arrays, others (at most 16 MiB each) as bytes.
   *
   * @throws DataFormatException when the file is missing, not a zip, corrupt or truncated, or an
   *     array is malformed
   */
  public static Contents read(Path file) {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    Map<String, byte[]> other = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(InputFiles.open(file))) {
      ZipEntry e;
      boolean any = false;
      while ((e = zip.getNextEntry()) != null) {
        any = true;
        String name = e.getName();
        String what = file + " entry " + name;
        if (name.endsWith(".npy")) {
          arrays.put(name.substring(0, name.length() - 4), Npy.read(zip, what, e.getSize()));
          // Inflating stops at what the array's header declares.
          if (zip.read() != -1) {
            throw new DataFormatException(what + ": more bytes than the shape in its header declares");
          }
        } else {
          other.put(name, readLimited(zip, what, e.getSize()));
        }
      }
      if (!any) {
        throw new DataFormatException(file + ": not a .npz archive (no zip entries)");
      }
    } catch (IOException | IllegalArgumentException e) {
      throw Npz.archiveError(file, e);
    }
    return new Contents(arrays, other);
  }

  /** An entry other than an array (meta.json), whole, if it is at most {@link #MAX_OTHER} bytes. */
  private static byte[] readLimited(InputStream in, String name, long declared) throws IOException {
    if (declared > MAX_OTHER) {
      throw new DataFormatException(name + ": " + declared + " bytes, larger than " + MAX_OTHER
          + "; not a metadata entry");
    }
    MemoryBudget.require(declared >= 0 ? declared : MAX_OTHER, name, "use a smaller file");
    byte[] b = in.readNBytes(MAX_OTHER);
    if (in.read() != -1) {
      throw new DataFormatException(name + ": larger than " + MAX_OTHER + " bytes; not a metadata entry");
    }
    return b;
  }

  /** Writes the arrays (as key.npy) and text entries atomically: the old file or the whole new one. */
  public static void write(Path file, Map<String, NpyArray> arrays, Map<String, String> text) throws IOException {
    AtomicFiles.write(file, out -> write(out, arrays, text));
  }

  private static void write(OutputStream out, Map<String, NpyArray> arrays, Map<String, String> text)
      throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    for (Map.Entry<String, NpyArray> a : arrays.entrySet()) {
      zip.putNextEntry(new ZipEntry(a.getKey() + ".npy"));
      Npy.write(zip, a.getValue());
      zip.closeEntry();
    }
    for (Map.Entry<String, String> t : text.entrySet()) {
      zip.putNextEntry(new ZipEntry(t.getKey()));
      zip.write(t.getValue().getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    zip.finish();
  }

  /**
   * A failure to read {@code file} as a zip archive, as one line: corrupt (ZipException, or
   * IllegalArgumentException, ZipInputStream's answer to an entry name that is not UTF-8), truncated,
   * or another I/O error.
   */
  public static DataFormatException archiveError(Path file, Exception e) {
    if (e instanceof ZipException) {
      return new DataFormatException(file + ": corrupt .npz archive (" + e.getMessage() + ")", e);
    }
    if (e instanceof IllegalArgumentException) {
      return new DataFormatException(file + ": corrupt .npz archive (an entry name is not UTF-8)", e);
    }
    if (e instanceof java.io.EOFException) {
      return new DataFormatException(file + ": truncated .npz archive", e);
    }
    return new DataFormatException(IoErrors.describe(file, (IOException) e), e);
  }
}
