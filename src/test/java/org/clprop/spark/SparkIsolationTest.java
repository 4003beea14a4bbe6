package org.clprop.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Spark is provided by the cluster: no class outside org.clprop.spark may name a Spark or Scala
 * class, so that the library and the CLI run without them. Checked on the compiled classes, whose
 * constant pools hold every class a class refers to.
 */
class SparkIsolationTest {
  @Test
  void onlyTheSparkPackageRefersToSparkOrScala() throws Exception {
    Path classes = Path.of(ClpropClassifier.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path spark = classes.resolve("org/clprop/spark");
    List<Path> offenders;
    int checked;
    try (Stream<Path> all = Files.walk(classes)) {
      List<Path> outside = all.filter(p -> p.toString().endsWith(".class") && !p.startsWith(spark)).toList();
      checked = outside.size();
      offenders = outside.stream().filter(SparkIsolationTest::namesSparkOrScala).toList();
    }
    assertTrue(checked > 50, "only " + checked + " classes found under " + classes);
    assertTrue(offenders.isEmpty(), "classes outside org.clprop.spark that refer to Spark or Scala: " + offenders);
  }

  private static boolean namesSparkOrScala(Path classFile) {
    try {
      String text = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
      return text.contains("org/apache/spark/") || text.contains("scala/");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
