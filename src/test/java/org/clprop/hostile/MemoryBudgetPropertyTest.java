package org.clprop.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.clprop.cli.CliRunner;
import org.clprop.core.MemoryBudget;
import org.clprop.core.MemoryBudgetException;
import org.clprop.core.Network;
import org.clprop.io.DataFormatException;
import org.clprop.data.DataSource;
import org.clprop.data.IdxReader;
import org.clprop.npy.Npy;
import org.clprop.npy.Npz;

/**
 * Class 3 of issue 17, no input blows the heap: for every reader and any size its header
 * declares, reading costs memory in proportion to the data present, and a claim beyond the heap is
 * refused with what it needs; for any --hidden, --batch and largest label, a network beyond the
 * heap or beyond one array is refused before it is allocated; and under a small heap, compression
 * bombs end in that message, never in an OutOfMemoryError.
 */
class MemoryBudgetPropertyTest {
  private static final long MIB = 1 << 20;
  private static ChildCli smallHeap;
  private Path dir;

  @AfterEach
  void removeFolder() {
    TestFiles.delete(dir);
  }

  @AfterAll
  static void stopChild() {
    if (smallHeap != null) {
      smallHeap.close();
    }
  }

  /**
   * The readers of files with a size header: arrays for models (NPY, NPZ), data sets (NPY_DATA, a
   * .npy table, read or mapped; NPZ_DATA, an x entry without its y), IDX.
   */
  enum Reader { NPY, NPZ, NPY_DATA, NPZ_DATA, IDX, IDX_GZ }

  /** A file of {@code reader}'s kind declaring {@code dims} of {@code elementBytes}, with its first {@code present} data bytes. */
  record Claim(Reader reader, int[] dims, int elementBytes, long present) {
    long declaredValues() {
      long n = 1;
      for (int d : dims) {
        n = MemoryBudget.product(n, d);
        if (n < 0) {
          return Long.MAX_VALUE;
        }
      }
      return n;
    }

    boolean complete() {
      return present == MemoryBudget.product(declaredValues(), elementBytes);
    }

    @Override
    public String toString() {
      return reader + " " + Arrays.toString(dims) + " x " + elementBytes + " bytes, " + present + " present";
    }
  }

  /** A reader, 1 - 3 dimensions each drawn over 1 .. 2^31 - 1 on a log scale, all the data or a prefix. */
  private static Claim claim(Random r) {
    Reader reader = Tries.oneOf(r, Reader.values());
    int[] dims = new int[1 + r.nextInt(3)];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = Tries.logUniform(r, 1, Integer.MAX_VALUE);
    }
    int bytes = reader == Reader.IDX || reader == Reader.IDX_GZ ? 1 : Tries.oneOf(r, 1, 4, 8);
    long total = MemoryBudget.product(new Claim(reader, dims, bytes, 0).declaredValues(), bytes);
    // All of the data where it is small, else a prefix of at most 64 KiB.
    double f = r.nextDouble();
    long present = total >= 0 && total <= 4 * MIB && f < 0.5 ? total
        : (long) (f * Math.min(total < 0 ? Long.MAX_VALUE : total - 1, 64 * 1024));
    return new Claim(reader, dims, bytes, present);
  }

  /** Any declared size: read when the data is all there, refused otherwise; memory in proportion to the data present. */
  @Test
  void readersCostWhatIsPresentAndRefuseWhatIsNot() {
    Tries.forAll(31, 100, MemoryBudgetPropertyTest::claim, c -> inFolder("claim", () -> read(c)));
  }

  private void read(Claim claim) throws IOException {
    Path file = write(claim);
    long before = allocated();
    boolean read;
    try {
      switch (claim.reader()) {
        case NPY -> Npy.read(new ByteArrayInputStream(Files.readAllBytes(file)), "x.npy");
        case NPZ -> Npz.read(file);
        case NPY_DATA, NPZ_DATA -> DataSource.load(file.toString(), null, -1);
        default -> IdxReader.read(file);
      }
      read = true;
    } catch (DataFormatException | MemoryBudgetException e) {
      read = false;
      assertTrue(e.getMessage().contains(claim.reader() == Reader.NPY ? "x.npy" : file.getFileName().toString()),
          e.getMessage());
      if (e instanceof MemoryBudgetException b && b.needed() > 0 && !e.getMessage().contains("one Java array")) {
        assertTrue(e.getMessage().contains("-Xmx"), e.getMessage());
      }
    }
    long cost = allocated() - before - (claim.reader() == Reader.NPY ? Files.size(file) : 0);
    if (claim.reader() == Reader.NPY_DATA || claim.reader() == Reader.NPZ_DATA) {
      // A data set may be refused for its shape or values even when whole (an npz without y always is).
      assertTrue(!read || claim.complete(), claim.toString());
    } else {
      assertEquals(claim.complete(), read, claim.toString());
    }
    long presentValues = claim.present() / claim.elementBytes();
    assertTrue(cost <= 16 * MIB + 32L * presentValues * 8, claim + ": allocated " + cost + " bytes");
  }

  /** Any hidden layers, batch and largest label: trained when small, refused before allocating when over the heap. */
  @Test
  void anyNetworkSizeIsTrainedOrRefusedBeforeAllocation() {
    Tries.forAll(32, 60, r -> new int[][] {sizes(r), sizes(r)}, s -> inFolder("sizes", () -> train(s[0], s[1])));
  }

  private void train(int[] hidden, int[] batchAndLabel) throws IOException {
    int label = batchAndLabel.length > 1 ? batchAndLabel[1] - 1 : 1;
    int batch = batchAndLabel[0];
    Path csv = dir.resolve("d.csv");
    Files.writeString(csv, "0.1,0.2,0.3,0\n0.4,0.5,0.6," + label + "\n0.7,0.8,0.9,1\n");
    int[] layers = new int[hidden.length + 2];
    layers[0] = 3;
    System.arraycopy(hidden, 0, layers, 1, hidden.length);
    layers[layers.length - 1] = Math.max(label, 1) + 1; // the file's other labels are 0 and 1
    long bytes = Network.trainingBytes(layers, Math.min(batch, 3));
    boolean tooBig = bytes > Runtime.getRuntime().maxMemory()
        || Network.parameterCountLong(layers) > MemoryBudget.MAX_ARRAY_LENGTH;
    if (!tooBig && bytes >= 64 * MIB) {
      return; // would fit the test's heap but take long to train: neither side of the rule
    }
    String h = Arrays.stream(hidden).mapToObj(Integer::toString).reduce((a, b) -> a + "," + b).orElseThrow();
    long before = allocated();
    CliRunner.Result r = CliRunner.run("train", "--backend", "cpu", "--data", csv.toString(), "--epochs", "1",
        "--hidden", h, "--batch", Integer.toString(batch));
    assertFalse(r.err().contains("internal error"), r.toString());
    if (tooBig) {
      assertEquals(1, r.code(), Arrays.toString(layers) + "\n" + r);
      assertTrue(r.err().contains("--hidden") && r.err().contains(Arrays.toString(layers)), r.toString());
      assertTrue(allocated() - before < 64 * MIB, "allocated before refusing: " + (allocated() - before));
    } else {
      assertEquals(0, r.code(), Arrays.toString(layers) + "\n" + r);
    }
  }

  /** One or two sizes, each drawn over 1 .. 2^31 - 1 on a log scale. */
  private static int[] sizes(Random r) {
    int[] s = new int[1 + r.nextInt(2)];
    for (int i = 0; i < s.length; i++) {
      s[i] = Tries.logUniform(r, 1, Integer.MAX_VALUE);
    }
    return s;
  }

  /** A gzipped CSV of 1 MiB to 1 GiB inflated, narrow or wide, under a 48 MiB heap: trained or refused with what it needs. */
  @Test
  void compressionBombsUnderASmallHeapEndInTheBudgetMessage() {
    Tries.forEach(Tries.pairs(List.of(0, 2, 4, 6, 8, 10), List.of(1, 30, 400)), p -> inFolder("bomb",
        () -> bomb((Integer) p.get(0), (Integer) p.get(1))));
  }

  private void bomb(int log2MiB, int columns) throws IOException {
    Path gz = dir.resolve("bomb.csv.gz");
    long inflated = gzipBomb(gz, columns, 1L << log2MiB);
    if (smallHeap == null) {
      smallHeap = ChildCli.start(List.of(), List.of("-Xmx48m", "-XX:+UseSerialGC"),
          TestFiles.newFolder("child").resolve("stderr.log"));
    }
    CliRunner.Result r = smallHeap.run("train", "--backend", "cpu", "--data", gz.toString(), "--epochs", "1",
        "--hidden", "4");
    assertFalse(r.err().contains("internal error"), r.toString());
    if (r.code() != 0) {
      assertEquals(1, r.code(), r.toString());
      assertTrue(r.err().startsWith("clprop: " + gz) && r.err().contains("needs") && r.err().contains("-Xmx"),
          r.toString());
    }
    // As doubles the values take four times their text: far beyond a 48 MiB heap from 16 MiB of text.
    if (inflated >= 16 * MIB) {
      assertEquals(1, r.code(), "a bomb of " + inflated + " bytes was read whole\n" + r);
    }
  }

  /** Writes 1 MiB of rows "0,0,...,label" gzipped once, repeated as gzip members; returns the inflated size. */
  private static long gzipBomb(Path gz, int columns, long mib) throws IOException {
    StringBuilder row = new StringBuilder();
    for (int c = 0; c < columns; c++) {
      row.append("0,");
    }
    String line = row.append("1\n").toString();
    byte[] text = line.repeat((int) (MIB / line.length()) + 1).substring(0, (int) MIB - (int) MIB % line.length())
        .getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream member = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(member)) {
      g.write(text);
    }
    try (OutputStream o = Files.newOutputStream(gz)) {
      for (long i = 0; i < mib; i++) {
        member.writeTo(o);
      }
    }
    return text.length * mib;
  }

  private Path write(Claim c) throws IOException {
    byte[] data = new byte[(int) c.present()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i % 7);
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    if (c.reader() == Reader.IDX || c.reader() == Reader.IDX_GZ) {
      ByteBuffer h = ByteBuffer.allocate(4 + 4 * c.dims().length);
      h.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) c.dims().length);
      for (int d : c.dims()) {
        h.putInt(d);
      }
      b.writeBytes(h.array());
      b.writeBytes(data);
    } else {
      String shape = Arrays.stream(c.dims()).mapToObj(Integer::toString).reduce((x, y) -> x + ", " + y).orElse("")
          + (c.dims().length == 1 ? "," : "");
      String descr = c.elementBytes() == 1 ? "|u1" : c.elementBytes() == 4 ? "<f4" : "<f8";
      String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }\n";
      b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) dict.length(), 0});
      b.writeBytes(dict.getBytes(StandardCharsets.US_ASCII));
      b.writeBytes(data);
    }
    Path f = dir.resolve(switch (c.reader()) {
      case NPY, NPY_DATA -> "x.npy";
      case NPZ, NPZ_DATA -> "x.npz";
      case IDX -> "x.idx";
      case IDX_GZ -> "x.idx.gz";
    });
    try (OutputStream o = Files.newOutputStream(f)) {
      switch (c.reader()) {
        case NPZ, NPZ_DATA -> {
          ZipOutputStream z = new ZipOutputStream(o);
          z.putNextEntry(new ZipEntry("x.npy"));
          b.writeTo(z);
          z.closeEntry();
          z.finish();
        }
        case IDX_GZ -> {
          GZIPOutputStream g = new GZIPOutputStream(o);
          b.writeTo(g);
          g.finish();
        }
        default -> b.writeTo(o);
      }
    }
    return f;
  }

  /** Bytes this thread has allocated so far (HotSpot counts them per thread). */
  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  /** Runs {@code body} in a new folder, removed after it. */
  private void inFolder(String what, Tries.Body body) throws Exception {
    TestFiles.inFolder(what, d -> {
      dir = d;
      body.run();
    });
  }
}
