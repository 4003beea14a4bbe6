package org.clprop.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.clprop.model.ModelFile;
import org.clprop.onnx.OnnxExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clprop export}: a model file as ONNX. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write a model as ONNX (opset " + OnnxExport.OPSET + "), for ONNX Runtime and other ONNX tools.",
        "Input x: float [N, inputs]; outputs probabilities: float [N, classes] and class: int64 [N]."})
final class ExportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true, description = "A model written by clprop train --out (.npz).")
  Path model;

  @Option(names = "--out", required = true, description = "The ONNX file to write (.onnx).")
  Path out;

  @Mixin
  VerboseOption verbose;

  @Override
  public Integer call() throws IOException {
    new FileOptions(spec).reads("--model", model).writes("--out", out, true).check();
    ModelFile.Model m = ModelFile.load(model);
    OnnxExport.write(m, out);
    spec.commandLine().getOut().println("model " + model + " " + Arrays.toString(m.network().sizes()) + " ("
        + m.spec().describe() + ") written to " + out + " as ONNX");
    return 0;
  }
}
