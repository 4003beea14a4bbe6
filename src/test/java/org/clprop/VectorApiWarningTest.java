package org.clprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.clprop.backend.BackendKind;
import org.clprop.data.Digits;
import org.clprop.testutil.ChildJvm;
import org.junit.jupiter.api.Test;

/** A JVM started without the Vector API module says so at WARN, naming the option to add. */
class VectorApiWarningTest {

  /** Trains once on the backend named by its argument and prints which one ran. */
  public static void main(String[] args) {
    try (Trainer t = Trainer.builder().layers(64, 8, 10).epochs(1).backend(BackendKind.valueOf(args[0])).build()) {
      t.fit(Digits.load());
      System.out.println("trained on " + t.backendDescription());
    }
  }

  @Test
  void withoutTheVectorApiModule() throws IOException, InterruptedException {
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), VectorApiWarningTest.class.getName(), "CPU");
    ChildJvm.Result r = ChildJvm.run(cmd, Map.of(), 120);
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("plain Java"), r.toString());
    assertTrue(r.err().lines().anyMatch(l -> l.contains(" WARN ") && l.contains("--add-modules jdk.incubator.vector")),
        "a WARN names the option:\n" + r);
  }
}
