package org.clprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.clprop.testutil.ChildJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java examples are whole classes: each is compiled against the library, and run when
 * it has a main method (the Spark example needs a cluster and is compiled only).
 */
class ReadmeExamplesTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern PUBLIC_CLASS = Pattern.compile("public class (\\w+)");

  @TempDir
  Path dir;

  @Test
  void everyJavaExampleCompilesAndRuns() throws IOException, InterruptedException {
    Path readmeFile = Path.of("README.md");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    // Outside a source checkout (tools/bundle's jlink'd runtime, which has neither) there is nothing to check.
    Assumptions.assumeTrue(Files.isRegularFile(readmeFile) && javac != null, "no README.md or no Java compiler here");
    String readme = Files.readString(readmeFile, StandardCharsets.UTF_8);
    List<String> blocks = new ArrayList<>();
    for (Matcher m = JAVA_BLOCK.matcher(readme); m.find(); ) {
      blocks.add(m.group(1));
    }
    assertFalse(blocks.isEmpty(), "README.md has Java examples");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    for (String code : blocks) {
      Matcher name = PUBLIC_CLASS.matcher(code);
      assertTrue(name.find(), "each README example is a whole class, public:\n" + code);
      Path source = Files.createDirectories(dir.resolve("src")).resolve(name.group(1) + ".java");
      Files.writeString(source, code, StandardCharsets.UTF_8);
      StringWriter diagnostics = new StringWriter();
      boolean ok = javac.getTask(diagnostics, null, null, List.of("-d", classes.toString(), "-cp",
          System.getProperty("java.class.path"), "-Xlint:all", "-Werror"), null,
          javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(source)).call();
      assertTrue(ok, "README example " + name.group(1) + " does not compile:\n" + diagnostics);

      if (!code.contains("public static void main(")) {
        continue;
      }
      Path work = Files.createDirectories(dir.resolve("run-" + name.group(1)));
      String cp = classes + File.pathSeparator + System.getProperty("java.class.path");
      ChildJvm.Result r = ChildJvm.run(ChildJvm.command(cp, name.group(1)), Map.of(), work, 300);
      assertEquals(0, r.code(), "README example " + name.group(1) + ":\n" + r);
      assertFalse(r.err().contains("Exception"), r.toString());
    }
  }
}
