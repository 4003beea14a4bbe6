package org.clprop.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * tools/clprop's per-class JIT flags (-XX:CompileCommand=option,pattern,...) name classes, never a
 * method, and each names classes that exist: renaming a class must fail here rather than silently
 * drop its tuning.
 */
class LauncherFlagsTest {
  private static final Pattern COMMAND = Pattern.compile("-XX:CompileCommand=(\\w+),([^,\\s]+::[^,\\s]+)");

  @Test
  void theLaunchersCompileCommandsNameExistingClassesAndNoMethod() throws Exception {
    Path launcher = Path.of("tools/clprop");
    Assumptions.assumeTrue(Files.exists(launcher), "no tools/clprop here (compiled tests run outside the source tree)");
    Path classes = Path.of(CpuBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> names;
    try (Stream<Path> files = Files.walk(classes)) {
      names = files.filter(f -> f.toString().endsWith(".class"))
          .map(f -> classes.relativize(f).toString().replace('\\', '/').replace(".class", "")).toList();
    }
    Matcher m = COMMAND.matcher(Files.readString(launcher));
    int seen = 0;
    while (m.find()) {
      String[] pattern = m.group(2).split("::");
      assertEquals("*", pattern[1], m.group() + ": a flag may name classes, not a method");
      // HotSpot's class patterns: a name, with a * at its start or end for a suffix or prefix match.
      String cls = pattern[0].replace('.', '/');
      Pattern regex = Pattern.compile(Pattern.quote(cls).replace("*", "\\E.*\\Q"));
      assertTrue(names.stream().anyMatch(n -> regex.matcher(n).matches()), m.group() + " matches no class");
      seen++;
    }
    assertFalse(seen == 0, "tools/clprop has per-class JIT flags");
  }
}
