package org.clprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache of decompressed IDX files: used, validated, refreshed when the source changes. */
class DecompressedCacheTest {
  @TempDir
  Path tmp;

  /** A gzipped IDX file of n random 28x28 images: random bytes do not compress, so it is over 1 MiB. */
  private Path images(String name, int n, long seed) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(raw);
    d.writeInt(0x0803);
    d.writeInt(n);
    d.writeInt(28);
    d.writeInt(28);
    byte[] px = new byte[n * 784];
    new Random(seed).nextBytes(px);
    d.write(px);
    Path p = tmp.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
      out.write(raw.toByteArray());
    }
    return p;
  }

  private static List<Path> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void aLargeGzipIsInflatedOnceThenReadBackIdentically() throws IOException {
    Path src = images("train-images-idx3-ubyte.gz", 2000, 1);
    Path cache = tmp.resolve("cache");
    Path entry = DecompressedCache.entry(src, cache);
    assertNotNull(entry);
    assertNull(DecompressedCache.load(entry), "nothing cached yet");
    IdxReader.IdxArray fresh = IdxReader.decode(src);
    DecompressedCache.store(src, entry, fresh);
    assertTrue(Files.isRegularFile(entry));
    assertEquals(16 + 2000 * 784, Files.size(entry), "stored uncompressed: header and pixels");
    IdxReader.IdxArray again = DecompressedCache.load(entry);
    assertNotNull(again);
    assertArrayEquals(fresh.dims(), again.dims());
    assertArrayEquals(fresh.data(), again.data());
  }

  @Test
  void aDamagedEntryIsDroppedAndAChangedSourceGetsANewOne() throws IOException {
    Path src = images("t10k-images-idx3-ubyte.gz", 2000, 2);
    Path cache = tmp.resolve("cache");
    Path entry = DecompressedCache.entry(src, cache);
    DecompressedCache.store(src, entry, IdxReader.decode(src));
    // Cut short, as a crash mid-write without the atomic rename could leave it.
    byte[] whole = Files.readAllBytes(entry);
    Files.write(entry, java.util.Arrays.copyOf(whole, whole.length / 2));
    assertNull(DecompressedCache.load(entry), "a truncated entry is not used");
    assertFalse(Files.exists(entry), "and is deleted");

    DecompressedCache.store(src, entry, IdxReader.decode(src));
    Path changed = images("t10k-images-idx3-ubyte.gz", 2100, 3);
    Files.setLastModifiedTime(changed, FileTime.fromMillis(Files.getLastModifiedTime(changed).toMillis() + 5000));
    Path newEntry = DecompressedCache.entry(changed, cache);
    assertFalse(newEntry.equals(entry), "new size and time, new entry");
    DecompressedCache.store(changed, newEntry, IdxReader.decode(changed));
    assertEquals(List.of(newEntry), entries(cache), "the old version's entry is removed");
    assertEquals(2100, DecompressedCache.load(newEntry).count());
  }

  @Test
  void smallOrPlainFilesAndADisabledCacheAreNotCached() throws IOException {
    Path small = images("small-images-idx3-ubyte.gz", 10, 4);
    assertNull(DecompressedCache.entry(small, tmp.resolve("cache")), "inflating 10 images is quick");
    Path plain = tmp.resolve("plain-images-idx3-ubyte");
    Files.write(plain, new byte[2 << 20]);
    assertNull(DecompressedCache.entry(plain, tmp.resolve("cache")), "not gzipped");
    Path large = images("large-images-idx3-ubyte.gz", 2000, 5);
    assertNull(DecompressedCache.entry(large, null), "caching off");
  }

  @Test
  void readingThroughTheCacheGivesWhatDecodingGives() throws IOException {
    Path src = images("train-images-idx3-ubyte.gz", 1500, 6);
    IdxReader.IdxArray first = IdxReader.read(src);
    IdxReader.IdxArray second = IdxReader.read(src);
    IdxReader.IdxArray direct = IdxReader.decode(src);
    assertArrayEquals(direct.data(), first.data());
    assertArrayEquals(direct.data(), second.data());
  }
}
