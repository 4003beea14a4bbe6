package org.clprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import org.clprop.io.DataFormatException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.clprop.core.MemoryBudgetException;
import org.clprop.model.ModelFile;
import org.clprop.npy.Npy;
import org.clprop.npy.NpyArray;
import org.clprop.npy.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property tests of the readers on hostile input: valid files mutated at random (truncated, bits
 * flipped, bytes inserted, header fields set to huge or negative values) and plain random bytes.
 * Every input must end in success, in the reader's own {@link DataFormatException} or in a
 * {@link MemoryBudgetException} for a size its header claims: never an OutOfMemoryError, an index
 * exception or a hang. 10,000 inputs per reader, seeded.
 * Inputs that once broke a reader are kept under src/test/resources/hostile and replayed first.
 */
class HostileFilesTest {
  private static final int CASES = 10_000;

  @TempDir
  Path dir;

  /** One mutation of a valid input. */
  private static byte[] mutate(byte[] valid, Random r) {
    byte[] b = valid.clone();
    switch (r.nextInt(7)) {
      case 0 -> {
        return java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
      }
      case 1 -> {
        for (int i = 0, n = 1 + r.nextInt(4); i < n; i++) {
          int at = r.nextInt(b.length);
          b[at] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
      }
      case 2 -> {
        // A header word (within the first 64 bytes) set to a huge, negative or zero value.
        int at = r.nextInt(Math.max(1, Math.min(60, b.length - 4)));
        int v = switch (r.nextInt(4)) {
          case 0 -> Integer.MAX_VALUE;
          case 1 -> Integer.MIN_VALUE + r.nextInt(100);
          case 2 -> 0;
          default -> 1 << 30;
        };
        for (int i = 0; i < 4 && at + i < b.length; i++) {
          b[at + i] = (byte) (v >>> (24 - 8 * i));
        }
        return b;
      }
      case 3 -> {
        int at = r.nextInt(b.length + 1);
        byte[] extra = new byte[1 + r.nextInt(16)];
        r.nextBytes(extra);
        byte[] out = new byte[b.length + extra.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(b, at, out, at + extra.length, b.length - at);
        return out;
      }
      case 4 -> {
        byte[] rnd = new byte[r.nextInt(200)];
        r.nextBytes(rnd);
        return rnd;
      }
      case 5 -> {
        // Non-UTF-8 and control bytes sprinkled in.
        for (int i = 0, n = 1 + r.nextInt(3); i < n && b.length > 0; i++) {
          b[r.nextInt(b.length)] = (byte) (0x80 + r.nextInt(0x80));
        }
        return b;
      }
      default -> {
        return b;
      }
    }
  }

  private void fuzz(String what, byte[] valid, String suffix, Consumer<Path> read) throws IOException {
    Random r = new Random(what.hashCode());
    Path f = dir.resolve("input" + suffix);
    replayRegressions(suffix, read);
    for (int i = 0; i < CASES; i++) {
      byte[] input = mutate(valid, r);
      Files.write(f, input);
      try {
        read.accept(f);
      } catch (DataFormatException | MemoryBudgetException expected) {
        // the reader's own, clear failure
      } catch (Throwable t) {
        Path keep = Path.of("target", "hostile-failures", what.replace(' ', '-') + "-case-" + i + suffix);
        Files.createDirectories(keep.getParent());
        Files.write(keep, input);
        fail(what + " case " + i + ": " + t + " (input kept in " + keep + "; add it to src/test/resources/hostile)", t);
      }
    }
  }

  private void replayRegressions(String suffix, Consumer<Path> read) throws IOException {
    Path res = Path.of("src/test/resources/hostile");
    if (!Files.isDirectory(res)) {
      return;
    }
    try (Stream<Path> s = Files.list(res)) {
      for (Path p : s.filter(x -> x.toString().endsWith(suffix)).toList()) {
        try {
          read.accept(p);
        } catch (DataFormatException | MemoryBudgetException expected) {
          // fine
        } catch (Throwable t) {
          fail("regression input " + p + ": " + t, t);
        }
      }
    }
  }

  @Test
  void idxReader() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(new byte[] {0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5});
    for (int i = 0; i < 60; i++) {
      b.write(i);
    }
    fuzz("idx", b.toByteArray(), ".idx", IdxReader::read);
    fuzz("idx.gz", gzip(b.toByteArray()), ".idx.gz", IdxReader::read);
  }

  @Test
  void csvReader() throws IOException {
    byte[] valid = "a,b,c,label\n0.5,1,2,0\n3,4e-3,-5,1\n6,7,8,2\n".getBytes(StandardCharsets.UTF_8);
    fuzz("csv", valid, ".csv", p -> CsvReader.read(p, CsvReader.Labels.REQUIRED, -1));
    fuzz("csv.gz", gzip(valid), ".csv.gz", p -> CsvReader.read(p, CsvReader.Labels.NONE, -1));
  }

  @Test
  void npyAndNpzReaders() throws IOException {
    ByteArrayOutputStream npy = new ByteArrayOutputStream();
    Npy.write(npy, NpyArray.float32(3, 4, new double[12]));
    byte[] valid = npy.toByteArray();
    fuzz("npy", valid, ".npy", p -> {
      try (InputStream in = Files.newInputStream(p)) {
        Npy.read(in, p.toString());
      } catch (IOException e) {
        throw new DataFormatException(e.getMessage(), e);
      }
    });
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    arrays.put("theta1", NpyArray.float32(2, 4, new double[8]));
    arrays.put("theta2", NpyArray.float32(3, 3, new double[9]));
    Path model = dir.resolve("model.npz");
    Npz.write(model, arrays, Map.of("meta.json", "{\"classNames\": [\"a\", \"b\", \"c\"]}"));
    fuzz("npz model", Files.readAllBytes(model), ".npz", ModelFile::load);
  }

  @Test
  void csvDatasetReader() throws IOException {
    // RFC 4180 forms: a byte-order mark, quoted fields (one with a comma, one with a doubled quote), CRLF.
    byte[] valid = "\uFEFF\"a\",\"b, c\",label\r\n\"0.5\",1,0\r\n3,\"4e-3\",1\r\n6,7,2\r\n\"1\"\"\",2,0\r\n"
        .getBytes(StandardCharsets.UTF_8);
    fuzz("csv dataset", valid, ".csv", p -> CsvReader.readDataset(p, -1));
    fuzz("csv.gz dataset", gzip(valid), ".csv.gz", p -> CsvReader.readDataset(p, -1));
  }

  @Test
  void npzDataReader() throws IOException {
    Map<String, NpyFiles.Array> arrays = new LinkedHashMap<>();
    arrays.put("x", new NpyFiles.Array("|u1", new int[] {3, 2, 2}, false, new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
        10, 255}));
    arrays.put("y", new NpyFiles.Array("<i8", new int[] {3}, false, new double[] {0, 1, 2}));
    arrays.put("x_test", new NpyFiles.Array(">f4", new int[] {2, 4}, true, new double[] {0.5, 1, 2, 3, 4, 5, 6, 7}));
    arrays.put("y_test", new NpyFiles.Array("|u1", new int[] {2}, false, new double[] {1, 0}));
    Path stored = dir.resolve("stored.npz");
    NpyFiles.npz(stored, arrays, false);
    fuzz("npz data stored", Files.readAllBytes(stored), ".data.npz", p -> DataSource.load(p.toString()));
    Path deflated = dir.resolve("deflated.npz");
    arrays.put("x", new NpyFiles.Array("<f8", new int[] {3, 4}, false, new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
        11}));
    NpyFiles.npz(deflated, arrays, true);
    fuzz("npz data deflated", Files.readAllBytes(deflated), ".data.npz", p -> DataSource.load(p.toString()));
  }

  @Test
  void npyTableAndFolderReaders() throws IOException {
    byte[] table = new NpyFiles.Array("<f4", new int[] {4, 3}, false, new double[] {0.5, 1, 0, 2, 3, 1, 4, 5, 2, 6, 7,
        0}).bytes();
    for (String map : new String[] {"never", "always"}) {
      System.setProperty(org.clprop.config.Settings.DATA_MAP.property(), map);
      try {
        fuzz("npy table " + map, table, ".npy", p -> DataSource.load(p.toString(), null, -1));
        Path folder = dir.resolve("folder-" + map);
        Files.createDirectories(folder);
        NpyFiles.write(folder.resolve("y.npy"), new NpyFiles.Array("|u1", new int[] {3}, false, new double[] {0, 1,
            2}));
        byte[] x = new NpyFiles.Array("|u1", new int[] {3, 2}, false, new double[] {0, 1, 2, 3, 4, 5}).bytes();
        fuzz("npy folder " + map, x, ".x.npy", p -> {
          try {
            Files.copy(p, folder.resolve("x.npy"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          DataSource.load(folder.toString());
        });
      } finally {
        System.clearProperty(org.clprop.config.Settings.DATA_MAP.property());
      }
    }
  }

  @Test
  void checkpointReader() throws IOException {
    Path ckpt = dir.resolve("valid.ckpt.npz");
    org.clprop.core.Network net = org.clprop.core.Network.initialise(new int[] {3, 4, 2}, 1);
    int p = net.parameterCount();
    new org.clprop.model.Checkpoint(net, new org.clprop.backend.OptimizerState(7, new float[p], new float[p]), 2, 3,
        123456789L, java.util.List.of(new double[] {1, 0.5, 0.9, Double.NaN, Double.NaN, 1000, 0.1},
            new double[] {2, 0.4, 0.95, Double.NaN, Double.NaN, 1000, 0.1}))
        .save(ckpt, Map.of());
    fuzz("checkpoint", Files.readAllBytes(ckpt), ".ckpt.npz", org.clprop.model.Checkpoint::load);
  }

  @Test
  void aHugeClaimedSizeIsRefusedWithoutAllocatingIt() {
    // 2^31 items of 1 byte claimed by a 16-byte file.
    byte[] idx = {0, 0, 8, 1, (byte) 0x80, 0, 0, 0};
    RuntimeException e = assertRefused(() -> IdxReader.read(new ByteArrayInputStream(idx), "huge.idx"));
    assertEquals(true, e.getMessage().contains("huge.idx"), e.getMessage());
    String npyHeader = "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }";
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) npyHeader.length(), 0});
    b.writeBytes(npyHeader.getBytes(StandardCharsets.US_ASCII));
    assertRefused(() -> Npy.read(new ByteArrayInputStream(b.toByteArray()), "huge.npy"));
  }

  /** A .npy header (version 1.0, padded to 64 bytes as NumPy writes it) and no data. */
  private static byte[] npyHeaderOnly(String descr, String shape) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int len = dict.length() + 1;
    len += (64 - (10 + len) % 64) % 64;
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) len, (byte) (len >>> 8)});
    b.writeBytes((dict + " ".repeat(len - 1 - dict.length()) + "\n").getBytes(StandardCharsets.US_ASCII));
    return b.toByteArray();
  }

  /**
   * A header claiming 80 GB, or more rows than an int, with no data behind it: refused, naming the
   * file, by the folder, table and .npz readers, mapped or read, before anything of that size is
   * allocated (the test's heap is far smaller, so an attempt would end in OutOfMemoryError).
   */
  @Test
  void hugeShapesOfTheNewFormatsAreRefusedBeforeAllocation() throws IOException {
    for (String shape : new String[] {"(100000, 100000)", "(3000000000, 784)", "(60000, 100000, 100000)"}) {
      byte[] x = npyHeaderOnly("<f8", shape);
      for (String map : new String[] {"never", "always"}) {
        System.setProperty(org.clprop.config.Settings.DATA_MAP.property(), map);
        try {
          Path folder = Files.createDirectories(dir.resolve("huge-" + map + shape.hashCode()));
          Files.write(folder.resolve("x.npy"), x);
          NpyFiles.write(folder.resolve("y.npy"), new NpyFiles.Array("|u1", new int[] {3}, false,
              new double[] {0, 1, 2}));
          RuntimeException e = assertRefused(() -> DataSource.load(folder.toString()));
          assertTrue(e.getMessage().contains("x.npy"), e.getMessage());
          Path table = dir.resolve("huge-table-" + map + shape.hashCode() + ".npy");
          Files.write(table, x);
          e = assertRefused(() -> DataSource.load(table.toString()));
          assertTrue(e.getMessage().contains(table.getFileName().toString()), e.getMessage());
        } finally {
          System.clearProperty(org.clprop.config.Settings.DATA_MAP.property());
        }
      }
      Path npz = dir.resolve("huge" + shape.hashCode() + ".npz");
      try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(npz))) {
        for (String name : new String[] {"x.npy", "y.npy"}) {
          byte[] entry = name.equals("x.npy") ? x
              : new NpyFiles.Array("|u1", new int[] {3}, false, new double[] {0, 1, 2}).bytes();
          java.util.zip.ZipEntry z = new java.util.zip.ZipEntry(name);
          z.setMethod(java.util.zip.ZipEntry.STORED);
          z.setSize(entry.length);
          java.util.zip.CRC32 crc = new java.util.zip.CRC32();
          crc.update(entry);
          z.setCrc(crc.getValue());
          zip.putNextEntry(z);
          zip.write(entry);
          zip.closeEntry();
        }
      }
      RuntimeException e = assertRefused(() -> DataSource.load(npz.toString()));
      assertTrue(e.getMessage().contains(npz.getFileName().toString()), e.getMessage());
    }
  }

  private interface Read {
    void run() throws IOException;
  }

  /** The reader's own refusal: a format error, or a size over the memory budget. */
  private static RuntimeException assertRefused(Read r) {
    try {
      r.run();
    } catch (DataFormatException | MemoryBudgetException e) {
      return e;
    } catch (Throwable t) {
      fail("expected a DataFormatException or MemoryBudgetException, got " + t, t);
    }
    fail("expected a refusal, got success");
    return null;
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }
}
