package org.clprop.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Settings are read in one class, and the README lists exactly those. */
class SettingsTest {

  @Test
  void theReadmeListsEverySettingAndNoOther() throws IOException {
    Path readme = Path.of("README.md");
    Assumptions.assumeTrue(Files.isRegularFile(readme), "not run from a source checkout");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    String table = text.substring(text.indexOf("## Settings"), text.indexOf("\n## ", text.indexOf("## Settings") + 3));
    List<String> rows = table.lines().filter(l -> l.startsWith("| `clprop.")).toList();
    assertEquals(Settings.all().size(), rows.size(), table);
    for (int i = 0; i < rows.size(); i++) {
      Settings.Key k = Settings.all().get(i);
      String want = "| `" + k.property() + "` | " + (k.env() == null ? "" : "`" + k.env() + "` ") + "| ";
      assertTrue(rows.get(i).startsWith(want), "README row " + i + " should start " + want + ": " + rows.get(i));
    }
  }

  @Test
  void noOtherClassReadsAClpropSetting() throws IOException {
    Path main = Path.of("src/main/java");
    Assumptions.assumeTrue(Files.isDirectory(main), "not run from a source checkout");
    Pattern read = Pattern.compile("(System\\.getProperty|System\\.getenv|Boolean\\.getBoolean|Integer\\.getInteger)"
        + "\\(\\s*\"(clprop|CLPROP)");
    try (Stream<Path> files = Files.walk(main)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = read.matcher(Files.readString(f, StandardCharsets.UTF_8));
        assertTrue(f.endsWith("Settings.java") || !m.find(), f + " reads a setting itself: " + (m.find(0) ? m.group() : ""));
      }
    }
  }

  @Test
  void valuesParseOrFailNamingTheKey() {
    Settings.Key k = new Settings.Key("clprop.test.ints", null, "test");
    assertNull(Settings.positiveInts(k, 2, "A,B"));
    System.setProperty(k.property(), " 3, 4 ");
    try {
      assertArrayEquals(new int[] {3, 4}, Settings.positiveInts(k, 2, "A,B"));
      System.setProperty(k.property(), "3,0");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.positiveInts(k, 2, "A,B"));
      assertTrue(e.getMessage().startsWith("-Dclprop.test.ints: '3,0'"), e.getMessage());
    } finally {
      System.clearProperty(k.property());
    }
  }
}
