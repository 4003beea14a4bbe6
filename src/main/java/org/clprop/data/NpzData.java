package org.clprop.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.clprop.io.DataFormatException;
import org.clprop.io.InputFiles;
import org.clprop.npy.NpyHeader;
import org.clprop.npy.Npz;

/**
 * A data set in a .npz archive ({@code np.savez}, {@code np.savez_compressed}): arrays {@code x}
 * (or {@code X}) and {@code y} (or {@code labels}), optionally {@code x_test} and {@code y_test}.
 * Read in one pass over the archive (a pipe works), each array in its own dtype straight into the
 * data set's storage ({@link NpyRows}): a stored entry is copied in bulk, a deflated one streams
 * through the one inflater; every entry's CRC is checked. Other entries are skipped.
 */
final class NpzData {
  private static final String REMEDY = "use a smaller data set, or unzip it into a folder (x.npy, y.npy, ...), "
      + "whose arrays clprop maps rather than reads";

  private NpzData() {}

  /** One array as read: its header, and its rows or labels (null where the header rules it out). */
  private record Array(NpyHeader header, RowStore rows, int[] labels) {}

  /** Reads {@code file}; {@code name} names the data set. */
  static DataSource.Loaded load(Path file, String name) {
    Map<String, Array> arrays = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(new BufferedInputStream(InputFiles.open(file), 1 << 16))) {
      ZipEntry e;
      boolean any = false;
      while ((e = zip.getNextEntry()) != null) {
        any = true;
        String entry = e.getName();
        if (!entry.endsWith(".npy")) {
          continue;
        }
        String key = entry.substring(0, entry.length() - 4);
        String what = file + " entry " + entry;
        NpyHeader h = NpyHeader.read(zip, what);
        long declared = e.getSize();
        if (declared >= 0 && (h.dataBytes() < 0 || declared - h.dataOffset() != h.dataBytes())) {
          throw new DataFormatException(what + ": " + h.describe() + " needs " + (h.dataBytes() < 0 ? "more than 2^63"
              : Long.toString(h.dataOffset() + h.dataBytes())) + " bytes with its header, but the entry holds "
              + declared);
        }
        NpyRows.Names names = new NpyRows.Names(what, file.toString(), key);
        Array a = switch (role(key)) {
          case FEATURES -> examples(h) ? new Array(h, NpyRows.read(zip, h, -1, names, REMEDY).store(), null)
              : new Array(h, null, null);
          case LABELS -> h.shape().length == 1 ? new Array(h, null, NpyRows.labels(zip, h, names, REMEDY))
              : new Array(h, null, null);
          default -> new Array(h, null, null);
        };
        if (a.rows() != null || a.labels() != null) {
          // Inflating stops at what the array's header declares; reading on checks the entry's CRC.
          if (zip.read() != -1) {
            throw new DataFormatException(what + ": more bytes than the shape in its header declares");
          }
        }
        arrays.put(key, a);
      }
      if (!any) {
        throw new DataFormatException(file + ": not a .npz archive (no zip entries)");
      }
    } catch (IOException | IllegalArgumentException e) {
      throw Npz.archiveError(file, e);
    }
    Part train = part(file, arrays, "x", "y");
    Part test = arrays.containsKey("x_test") ? part(file, arrays, "x_test", "y_test") : null;
    if (test != null && test.rows.features() != train.rows.features()) {
      throw new DataFormatException(file + ": 'x_test' has " + test.rows.features() + " features per example but 'x' "
          + "has " + train.rows.features());
    }
    int k = Math.max(NpyData.classes(train.labels), test == null ? 0 : NpyData.classes(test.labels));
    return new DataSource.Loaded(name, new Dataset(train.rows, train.labels, k),
        test == null ? null : new Dataset(test.rows, test.labels, k), List.of());
  }

  private enum Role { FEATURES, LABELS, OTHER }

  private static Role role(String key) {
    return switch (key) {
      case "x", "X", "x_test", "X_TEST" -> Role.FEATURES;
      case "y", "labels", "y_test" -> Role.LABELS;
      default -> Role.OTHER;
    };
  }

  /** Whether a features array's header allows reading it: (m, features...) with m and the features positive. */
  private static boolean examples(NpyHeader h) {
    return h.shape().length >= 2 && h.rows() > 0 && h.cols() > 0 && h.cols() <= Integer.MAX_VALUE - 8;
  }

  private record Part(RowStore rows, int[] labels) {}

  /** Features and labels under {@code xKey} (or its upper case) and {@code yKey} (or "labels" for "y"), checked. */
  private static Part part(Path file, Map<String, Array> arrays, String xKey, String yKey) {
    Array x = arrays.getOrDefault(xKey, arrays.get(xKey.toUpperCase()));
    Array y = arrays.getOrDefault(yKey, arrays.get(yKey.equals("y") ? "labels" : yKey));
    if (x == null || y == null) {
      throw new DataFormatException(file + ": needs arrays '" + xKey + "' and '" + yKey + "' (has " + new ArrayList<>(
          arrays.keySet()) + ")");
    }
    NpyHeader xh = x.header();
    NpyHeader yh = y.header();
    if (xh.shape().length < 2 || yh.shape().length != 1 || xh.rows() != yh.rows()) {
      throw new DataFormatException(file + ": '" + xKey + "' " + xh.shapeString() + " and '" + yKey + "' "
          + yh.shapeString() + " must be (m, features...) and (m,)");
    }
    if (xh.rows() == 0 || xh.cols() == 0) {
      throw new DataFormatException(file + ": '" + xKey + "' " + xh.shapeString() + " holds no "
          + (xh.rows() == 0 ? "examples" : "features"));
    }
    if (x.rows() == null) {
      throw new DataFormatException(file + ": '" + xKey + "' " + xh.shapeString() + ": rows of more values than one "
          + "Java array holds");
    }
    return new Part(x.rows(), y.labels());
  }
}
