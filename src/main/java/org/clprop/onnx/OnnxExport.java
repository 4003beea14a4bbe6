package org.clprop.onnx;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.clprop.io.AtomicFiles;
import org.clprop.model.ModelFile;

/**
 * Writes a clprop model as a standard ONNX model, which ONNX Runtime and other ONNX tools load.
 *
 * <p>The graph (opset {@value #OPSET}, IR version {@value #IR_VERSION}), for layer sizes s_1 .. s_L:
 *
 * <pre>
 *   input  x              float [N, s_1], N symbolic (any batch)
 *   Sub, Mul              a1 = (x - scaling.offset) * scaling.scale        only when the model is scaled
 *   for l = 1 .. L-1:
 *     Gemm (transB = 1)   z(l+1) = a(l) theta{l}.weights' + theta{l}.bias
 *                         theta{l}.weights = Theta(l)[:, 1:]  (s_{l+1} x s_l), theta{l}.bias = Theta(l)[:, 0]
 *     Sigmoid|Tanh|Relu   a(l+1) = g(z(l+1))                                 hidden layers
 *     Sigmoid|Softmax     probabilities = out(z(L))    (Softmax over axis 1)  the output layer
 *   ArgMax (axis 1, keepdims 0, first index on ties)   class
 *   outputs probabilities float [N, s_L]; class int64 [N]
 * </pre>
 *
 * <p>Weights and scaling are float32, as in clprop's backends. The model's metadata_props hold
 * {@code layers} ("64,32,10"), {@code activation}, {@code output}, {@code scaling} (none, standard or
 * minmax) and, where the model names its classes, {@code class_names} as a JSON array; the producer
 * is "clprop" with clprop's version.
 *
 * <p>The protobuf encoding is the protobuf-javalite runtime's, on classes generated from ONNX's
 * published schema; that runtime is an optional dependency of the library (the CLI jar has it).
 */
public final class OnnxExport {
  /** The ONNX operator set: Softmax with a single axis (13), supported by every current runtime. */
  public static final int OPSET = 13;
  /** The IR version that goes with opset 13 (ONNX 1.8). */
  public static final int IR_VERSION = 7;
  /** The graph's input: float [N, s_1]. */
  public static final String INPUT = "x";
  /** The output layer's activations h = a(L): float [N, s_L]. */
  public static final String PROBABILITIES = "probabilities";
  /** The predicted class of each row: int64 [N]. */
  public static final String CLASS = "class";

  private OnnxExport() {}

  /** Writes {@code model} to {@code out} as ONNX, atomically (the old file or the whole new one). */
  public static void write(ModelFile.Model model, Path out) throws IOException {
    byte[] bytes = encode(model);
    AtomicFiles.write(Objects.requireNonNull(out, "out"), os -> os.write(bytes));
  }

  /** The ONNX model (a serialised ModelProto) of {@code model}. */
  public static byte[] encode(ModelFile.Model model) {
    Objects.requireNonNull(model, "model");
    try {
      Class.forName("com.google.protobuf.GeneratedMessageLite", false, OnnxExport.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("ONNX export needs the protobuf runtime on the class path: add "
          + "com.google.protobuf:protobuf-javalite (the version clprop was built with; see the README)", e);
    }
    return OnnxGraph.encode(model);
  }
}
