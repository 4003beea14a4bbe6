package org.clprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clprop.data.DataSource;
import org.clprop.data.Dataset;
import org.clprop.opencl.HiddenOpenCl;
import org.clprop.opencl.OpenClTests;
import org.clprop.testutil.ChildJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clprop predict} without --out writes the predictions CSV to stdout and nothing else, with or without OpenCL. */
class PredictStdoutTest {
  @TempDir
  Path dir;

  @Test
  void stdoutIsExactlyTheCsvWithAndWithoutTheOpenClLibrary() throws IOException, InterruptedException {
    Path model = dir.resolve("m.npz");
    CliRun t = CliRun.of("train", "--backend", "cpu", "--epochs", "3", "--out", model.toString());
    assertEquals(0, t.code(), t.toString());
    Dataset test = DataSource.load("digits").test();
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      float[] row = test.row(i);
      for (int c = 0; c < row.length; c++) {
        csv.append(c == 0 ? "" : ",").append(row[c]);
      }
      csv.append('\n');
    }
    Path x = dir.resolve("x.csv");
    Files.writeString(x, csv, StandardCharsets.UTF_8);
    CliRun expected = CliRun.of("predict", "--backend", "cpu", "--model", model.toString(), "--data", x.toString());
    assertEquals(0, expected.code(), expected.toString());
    assertEquals(26, expected.out().lines().count(), expected.out());
    assertTrue(expected.out().startsWith("class,p0,p1,"), expected.out());

    List<String> predict = ChildJvm.command(Main.class, "predict", "--model", model.toString(), "--data", x.toString());
    ChildJvm.Result plain = ChildJvm.run(predict, Map.of(), 120);
    assertEquals(0, plain.code(), plain.toString());
    assertEquals(expected.out(), plain.out(), plain.toString());

    Optional<List<String>> hidden = HiddenOpenCl.wrap(predict);
    if (hidden.isEmpty()) {
      String why = "cannot hide the OpenCL library here (needs unshare with root or user namespaces)";
      if (OpenClTests.required()) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    ChildJvm.Result without = ChildJvm.run(hidden.get(), Map.of(), 120);
    assertEquals(0, without.code(), without.toString());
    assertEquals(expected.out(), without.out(), without.toString());
  }
}
