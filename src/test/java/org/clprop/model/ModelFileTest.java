package org.clprop.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.clprop.core.Network;
import org.clprop.io.DataFormatException;
import org.clprop.npy.NpyArray;
import org.clprop.npy.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files keep every meta.json value, whatever characters its strings hold. */
class ModelFileTest {
  @TempDir
  Path dir;

  @Test
  void anyClassNamesRoundTrip() throws IOException {
    SplittableRandom rng = new SplittableRandom(15);
    Network net = Network.initialise(new int[] {3, 2, 4}, 1);
    Path file = dir.resolve("m.npz");
    for (int round = 0; round < 200; round++) {
      List<String> names = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        names.add(randomString(rng, rng.nextInt(round < 10 ? 5000 : 40)));
      }
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("classNames", names);
      meta.put("data", randomString(rng, 20));
      ModelFile.save(file, net, meta);
      ModelFile.Model m = ModelFile.load(file);
      assertEquals(names, m.classNames(), "round " + round);
      assertEquals(meta.get("data"), m.meta().get("data"));
      assertArrayEquals(net.toFlatFloats(), m.network().toFlatFloats());
    }
  }

  /** Code points from every range that trips hand-written JSON: quotes, brackets, controls, escapes, surrogate pairs. */
  private static String randomString(SplittableRandom rng, int length) {
    String awkward = "\"\\[]{}:,\t\n\r\b\f\u0000\u001f\u2028\u2029\u007f/";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      switch (rng.nextInt(4)) {
        case 0 -> sb.append(awkward.charAt(rng.nextInt(awkward.length())));
        case 1 -> sb.append("\\u00").append(rng.nextInt(10)).append(rng.nextInt(10));
        case 2 -> sb.appendCodePoint(0x10000 + rng.nextInt(0x10000));
        default -> sb.appendCodePoint(0x20 + rng.nextInt(0xd000));
      }
    }
    return sb.toString();
  }

  @Test
  void deepOrMalformedMetaIsOneLineErrorNamingTheFile() throws IOException {
    Network net = Network.initialise(new int[] {2, 2}, 1);
    for (String json : List.of("[".repeat(100_000), "{\"a\":" + "[".repeat(MetaJson.MAX_DEPTH + 1), "{\"a\": 1,}",
        "{\"classNames\": [1, 2]}", "{} trailing", "\"text\"")) {
      Path file = dir.resolve("bad.npz");
      Map<String, NpyArray> arrays = ModelFile.thetaArrays(net);
      Npz.write(file, arrays, Map.of("meta.json", json));
      DataFormatException e = assertThrows(DataFormatException.class, () -> ModelFile.load(file), json);
      assertTrue(e.getMessage().startsWith(file + ": meta.json"), e.getMessage());
      assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    }
  }
}
