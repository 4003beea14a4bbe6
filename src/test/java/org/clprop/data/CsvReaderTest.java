package org.clprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import org.clprop.config.Settings;
import org.clprop.io.DataFormatException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parallel CSV reader gives what the sequential reader of before gave ({@link SequentialCsv}):
 * on random files of every number form parseDouble takes or refuses, every line end, blank lines,
 * headers, label columns and injected errors, cut into chunks of 256 bytes to 1 MiB, the same
 * values bit for bit and the same message for the same first error. Then the RFC 4180 forms the
 * sequential reader did not take: quoted fields read as their text.
 */
class CsvReaderTest {
  @TempDir
  Path dir;

  @AfterEach
  void clearSetting() {
    System.clearProperty(Settings.DATA_BLOCK_BYTES.property());
  }

  /** A number in one of the forms a file may hold, or (rarely) text that is not one. */
  private static String number(Random r, boolean allowBad) {
    int pick = r.nextInt(allowBad ? 24 : 20);
    return switch (pick) {
      case 0, 1, 2, 3 -> Integer.toString(r.nextInt(256));
      case 4, 5 -> Double.toString(r.nextGaussian());
      case 6 -> String.format("%.6f", r.nextDouble());
      case 7 -> String.format("%.3e", r.nextGaussian() * Math.pow(10, r.nextInt(60) - 30));
      case 8 -> "-" + r.nextInt(1000) + "." + r.nextInt(1000);
      case 9 -> "0000" + r.nextInt(100);
      case 10 -> "+." + r.nextInt(100);
      case 11 -> r.nextInt(100) + ".";
      case 12 -> "3.14159265358979323846264338327950288";
      case 13 -> "12345678901234567890123";
      case 14 -> "0x1.8p" + (r.nextInt(20) - 10);
      case 15 -> r.nextInt(9) + "f";
      case 16 -> " \t" + r.nextInt(9) + "  ";
      case 17 -> "1e" + (r.nextInt(80) - 40);
      case 18 -> "-0";
      case 19 -> "9007199254740993e-5";
      case 20 -> "1e39";
      case 21 -> oneOf(r, "NaN", "Infinity", "-Infinity");
      case 22 -> oneOf(r, "abc", "", "1..2", "1e", "--1", "\u00e9");
      default -> oneOf(r, "1 2", "0x", "1e400");
    };
  }

  private static String oneOf(Random r, String... s) {
    return s[r.nextInt(s.length)];
  }

  private static String label(Random r, boolean allowBad) {
    return allowBad && r.nextInt(40) == 0 ? oneOf(r, "1.5", "-1", "x", "NaN", "3e9") : r.nextInt(3) == 0
        ? r.nextInt(5) + ".0" : Integer.toString(r.nextInt(5));
  }

  /** A random file and how to read it. */
  private record Case(byte[] bytes, CsvReader.Labels labels, int labelCol, boolean gz) {}

  private static Case randomCase(Random r) {
    int fields = 1 + r.nextInt(6);
    boolean labelled = fields > 1 && r.nextInt(5) > 0;
    int labelCol = labelled ? r.nextInt(2 * fields) - fields : -1;
    int labelAt = labelCol < 0 ? fields + labelCol : labelCol;
    boolean header = r.nextBoolean();
    boolean bad = r.nextInt(3) == 0;
    StringBuilder s = new StringBuilder();
    if (r.nextInt(8) == 0) {
      s.append('\uFEFF');
    }
    String[] ends = {"\n", "\r\n", "\r"};
    String end = ends[r.nextInt(3)];
    if (header) {
      for (int c = 0; c < fields; c++) {
        s.append(c == 0 ? "" : ",").append(labelled && c == labelAt && r.nextBoolean() ? "Label" : "col" + c);
      }
      s.append(end);
    }
    int rows = r.nextInt(4) == 0 ? r.nextInt(3) : r.nextInt(120);
    for (int i = 0; i < rows; i++) {
      if (r.nextInt(15) == 0) {
        s.append(oneOf(r, "", "  ", "\t")).append(end);
      }
      int n = bad && r.nextInt(60) == 0 ? fields + r.nextInt(3) - 1 : fields;
      for (int c = 0; c < n; c++) {
        s.append(c == 0 ? "" : ",").append(labelled && c == labelAt ? label(r, bad) : number(r, bad));
      }
      s.append(i + 1 < rows || r.nextBoolean() ? (r.nextInt(10) == 0 ? ends[r.nextInt(3)] : end) : "");
    }
    return new Case(s.toString().getBytes(StandardCharsets.UTF_8), labelled ? CsvReader.Labels.REQUIRED
        : CsvReader.Labels.NONE, labelCol, r.nextInt(6) == 0);
  }

  /** Either both give the same value or both fail with the same message. */
  private static <T> void agree(String what, Supplier<T> parallel, Supplier<T> sequential,
      java.util.function.BiConsumer<T, T> same) {
    T a = null;
    T b = null;
    String ea = null;
    String eb = null;
    try {
      a = parallel.get();
    } catch (DataFormatException e) {
      ea = e.getMessage();
    }
    try {
      b = sequential.get();
    } catch (DataFormatException e) {
      eb = e.getMessage();
    }
    assertEquals(eb, ea, what);
    if (a != null) {
      same.accept(a, b);
    }
  }

  @Test
  void agreesWithTheSequentialReaderOnAnyFile() throws IOException {
    Random r = new Random(16);
    int[] chunks = {256, 300, 1024, 1 << 20};
    for (int t = 0; t < 600; t++) {
      Case c = randomCase(r);
      Path f = dir.resolve("t" + t + (c.gz() ? ".csv.gz" : ".csv"));
      Files.write(f, c.gz() ? gzip(c.bytes()) : c.bytes());
      System.setProperty(Settings.DATA_BLOCK_BYTES.property(), Integer.toString(chunks[t % chunks.length]));
      String what = "try " + t + " (" + f + "):\n" + new String(c.bytes(), StandardCharsets.UTF_8);
      agree(what, () -> CsvReader.read(f, c.labels(), c.labelCol()), () -> SequentialCsv.read(f, c.labels(),
          c.labelCol()), (x, y) -> {
            assertArrayEquals(y.x(), x.x(), what);
            assertArrayEquals(y.labels(), x.labels(), what);
            assertArrayEquals(y.lines(), x.lines(), what);
            assertEquals(y.features(), x.features(), what);
          });
      if (c.labels() == CsvReader.Labels.REQUIRED) {
        agree(what, () -> CsvReader.readDataset(f, c.labelCol()), () -> {
          Table tb = SequentialCsv.read(f, CsvReader.Labels.REQUIRED, c.labelCol());
          return tb.toDataset(tb.impliedClasses());
        }, (x, y) -> {
          assertArrayEquals(y.x(), x.x(), what);
          assertArrayEquals(y.labels(), x.labels(), what);
          assertEquals(y.classes(), x.classes(), what);
        });
      }
    }
  }

  @Test
  void quotedFieldsReadAsTheirText() throws IOException {
    Path plain = write("p.csv", "a,b,label\n1.5,-2,1\n3,4e-3,0\n");
    Path quoted = write("q.csv", "\"a\",\"b, with a comma\",\"label\"\r\n\"1.5\", \"-2\" ,\"1\"\r\n3,\"4e-3\",0\r\n");
    Dataset p = CsvReader.readDataset(plain, -1);
    Dataset q = CsvReader.readDataset(quoted, -1);
    assertArrayEquals(p.x(), q.x());
    assertArrayEquals(p.labels(), q.labels());
    // A header name may hold a line break: the data's line numbers still count it.
    Path spanning = write("s.csv", "\"first\nname\",label\n1,0\nx,1\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.readDataset(spanning, -1));
    assertEquals(spanning + ":4: column 1 'x' is not a number", e.getMessage());
    Path doubled = write("d.csv", "a,label\n\"1\"\"\",0\n");
    e = assertThrows(DataFormatException.class, () -> CsvReader.readDataset(doubled, -1));
    assertEquals(doubled + ":2: column 1 '1\"' is not a number", e.getMessage());
  }

  @Test
  void anErrorInAnyChunkNamesItsLine() throws IOException {
    // Many chunks: the first error in the file is reported, whichever worker met it first.
    System.setProperty(Settings.DATA_BLOCK_BYTES.property(), "512");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      lines.add(i + "," + (i % 7) + "," + (i % 3));
    }
    for (int bad : new int[] {1, 2, 777, 4321, 5000}) {
      List<String> l = new ArrayList<>(lines);
      l.set(bad - 1, "1,oops,2");
      if (bad + 100 < l.size()) {
        l.set(bad + 100, "1,2");
      }
      Path f = write("e" + bad + ".csv", String.join("\n", l) + "\n");
      DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.readDataset(f, -1));
      assertEquals(f + ":" + bad + ": column 2 'oops' is not a number", e.getMessage());
    }
  }

  @Test
  void aLineLongerThanTheLimitFailsNamingItsLine() throws IOException {
    Path f = dir.resolve("long.csv");
    byte[] b = new byte[CsvReader.MAX_LINE + 10];
    java.util.Arrays.fill(b, (byte) '1');
    try (var out = Files.newOutputStream(f)) {
      out.write("1,2\n3,4\n".getBytes(StandardCharsets.US_ASCII));
      out.write(b);
    }
    DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.readDataset(f, -1));
    assertEquals(f + ":3: a line longer than " + CsvReader.MAX_LINE + " characters; not a CSV file of examples",
        e.getMessage());
  }

  private Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  private static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  @Test
  void numbersParseAsParseDoubleDoes() {
    Random r = new Random(5);
    for (int i = 0; i < 200_000; i++) {
      String s = switch (i % 5) {
        case 0 -> Double.toString(Double.longBitsToDouble(r.nextLong()));
        case 1 -> Long.toString(r.nextLong() >> r.nextInt(64));
        case 2 -> (r.nextBoolean() ? "-" : "") + r.nextInt(100000) + "." + r.nextInt(1000000) + "e" + (r.nextInt(60) - 30);
        case 3 -> String.format("%." + r.nextInt(12) + "f", r.nextDouble() * Math.pow(10, r.nextInt(20) - 8));
        default -> Float.toString(r.nextFloat());
      };
      byte[] b = s.getBytes(StandardCharsets.US_ASCII);
      double fast = CsvNumbers.fast(b, 0, b.length);
      if (!Double.isNaN(fast)) {
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)), Double.doubleToRawLongBits(fast), s);
      }
    }
    assertTrue(Double.isNaN(CsvNumbers.fast("1f".getBytes(StandardCharsets.US_ASCII), 0, 2)));
  }
}
