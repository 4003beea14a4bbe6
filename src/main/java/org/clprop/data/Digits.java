package org.clprop.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * The embedded default dataset: 1,797 optical digits of 8x8 pixels (values 0..16), classes 0..9.
 * Source: UCI Machine Learning Repository, "Optical Recognition of Handwritten Digits" (E. Alpaydin,
 * C. Kaynak, 1998), the copy distributed with scikit-learn; licence CC BY 4.0. Features are scaled
 * to [0, 1] by dividing by 16.
 */
public final class Digits {
  /** Features per example: 8x8 pixels. */
  public static final int FEATURES = 64;
  /** Classes: the digits 0..9. */
  public static final int CLASSES = 10;
  private static final String RESOURCE = "optdigits-8x8.csv.gz";

  private Digits() {}

  /** All 1,797 digits, in the order of the embedded file. */
  public static Dataset load() {
    try (InputStream raw = Digits.class.getResourceAsStream(RESOURCE)) {
      if (raw == null) {
        throw new IllegalStateException("embedded dataset " + RESOURCE + " is missing from the jar");
      }
      return parse(new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      throw new UncheckedIOException("reading embedded " + RESOURCE, e);
    }
  }

  private static Dataset parse(BufferedReader in) throws IOException {
    FloatList x = new FloatList();
    IntList y = new IntList();
    String line;
    int lineNo = 0;
    while ((line = in.readLine()) != null) {
      lineNo++;
      String[] f = line.split(",");
      if (f.length != FEATURES + 1) {
        throw new IllegalStateException(RESOURCE + " line " + lineNo + ": " + f.length + " fields, expected 65");
      }
      for (int j = 0; j < FEATURES; j++) {
        x.add(Integer.parseInt(f[j].trim()) / 16f);
      }
      y.add(Integer.parseInt(f[FEATURES].trim()));
    }
    return Dataset.of(x.toArray(), y.toArray(), FEATURES, CLASSES);
  }
}
