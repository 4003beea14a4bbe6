package org.clprop.onnx;

import com.google.gson.Gson;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.clprop.core.Matrix;
import org.clprop.core.Network;
import org.clprop.model.ModelFile;
import org.clprop.model.ModelSpec;
import org.clprop.onnx.proto.Onnx.AttributeProto;
import org.clprop.onnx.proto.Onnx.GraphProto;
import org.clprop.onnx.proto.Onnx.ModelProto;
import org.clprop.onnx.proto.Onnx.NodeProto;
import org.clprop.onnx.proto.Onnx.OperatorSetIdProto;
import org.clprop.onnx.proto.Onnx.StringStringEntryProto;
import org.clprop.onnx.proto.Onnx.TensorProto;
import org.clprop.onnx.proto.Onnx.TensorShapeProto;
import org.clprop.onnx.proto.Onnx.TypeProto;
import org.clprop.onnx.proto.Onnx.ValueInfoProto;

/**
 * Builds the ONNX graph of a clprop model with the classes generated from ONNX's schema; the only
 * class that touches them, so that {@link OnnxExport} can say what is missing when the protobuf
 * runtime is not on the class path. The layout is {@link OnnxExport}'s.
 */
final class OnnxGraph {
  private final GraphProto.Builder graph = GraphProto.newBuilder().setName("clprop");

  private OnnxGraph() {}

  /** The serialised ModelProto of {@code model}. */
  static byte[] encode(ModelFile.Model model) {
    return build(model).toByteArray();
  }

  static ModelProto build(ModelFile.Model model) {
    Network net = model.network();
    ModelSpec spec = model.spec();
    int[] s = net.sizes();
    OnnxGraph g = new OnnxGraph();
    g.graph.addInput(tensor(OnnxExport.INPUT, TensorProto.DataType.FLOAT_VALUE, s[0]));

    // a(1) = (x - offset) .* scale: Sub then Mul, each broadcasting a [n] initializer over [N, n].
    String a = OnnxExport.INPUT;
    if (spec.scaling().isPresent()) {
      ModelSpec.Scaling sc = spec.scaling().get();
      g.initializer("scaling.offset", new int[] {s[0]}, sc.offset());
      g.initializer("scaling.scale", new int[] {s[0]}, sc.scale());
      g.node("Sub", "scaling.sub", List.of(a, "scaling.offset"), "x_centred");
      a = g.node("Mul", "scaling.mul", List.of("x_centred", "scaling.scale"), "a1");
    }

    // z(l+1) = a(l) W' + b with W = Theta(l)[:, 1:] (s_{l+1} x s_l) and b = Theta(l)[:, 0]: Gemm
    // with transB = 1, so W keeps the model file's row-major layout.
    int last = net.layers() - 1;
    for (int l = 1; l <= last; l++) {
      Matrix t = net.theta(l);
      String w = "theta" + l + ".weights";
      String b = "theta" + l + ".bias";
      g.initializer(w, new int[] {t.rows(), t.cols() - 1}, columns(t, 1, t.cols()));
      g.initializer(b, new int[] {t.rows()}, columns(t, 0, 1));
      String z = g.node("Gemm", "theta" + l + ".gemm", List.of(a, w, b), "z" + (l + 1),
          attribute("transB", 1));
      if (l < last) {
        String op = switch (spec.activation()) {
          case SIGMOID -> "Sigmoid";
          case TANH -> "Tanh";
          case RELU -> "Relu";
        };
        a = g.node(op, "a" + (l + 1) + "." + spec.activation().jsonName(), List.of(z), "a" + (l + 1));
      } else if (spec.output() == ModelSpec.Output.SOFTMAX) {
        a = g.node("Softmax", "output.softmax", List.of(z), OnnxExport.PROBABILITIES, attribute("axis", 1));
      } else {
        a = g.node("Sigmoid", "output.sigmoid", List.of(z), OnnxExport.PROBABILITIES);
      }
    }
    // The class: the first index of the largest probability, as clprop predict (Trainer.argmax).
    g.node("ArgMax", "output.argmax", List.of(OnnxExport.PROBABILITIES), OnnxExport.CLASS,
        attribute("axis", 1), attribute("keepdims", 0), attribute("select_last_index", 0));
    g.graph.addOutput(tensor(OnnxExport.PROBABILITIES, TensorProto.DataType.FLOAT_VALUE, s[last]));
    g.graph.addOutput(tensor(OnnxExport.CLASS, TensorProto.DataType.INT64_VALUE, -1));

    String layers = Arrays.stream(s).mapToObj(Integer::toString).collect(Collectors.joining(","));
    ModelProto.Builder m = ModelProto.newBuilder()
        .setIrVersion(OnnxExport.IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxExport.OPSET))
        .setProducerName("clprop")
        .setProducerVersion(ModelFile.version())
        .setDomain("org.clprop")
        .setModelVersion(1)
        .setDocString("clprop network " + Arrays.toString(s) + ": " + spec.describe())
        .setGraph(g.graph);
    metadata(m, "layers", layers);
    metadata(m, "activation", spec.activation().jsonName());
    metadata(m, "output", spec.output().jsonName());
    metadata(m, "scaling", spec.scaling().map(x -> x.kind().jsonName()).orElse("none"));
    if (!model.classNames().isEmpty()) {
      metadata(m, "class_names", new Gson().toJson(model.classNames()));
    }
    return m.build();
  }

  /** Adds a node of one output and returns that output's name. */
  private String node(String op, String name, List<String> inputs, String output, AttributeProto... attributes) {
    graph.addNode(NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output)
        .addAllAttribute(Arrays.asList(attributes)));
    return output;
  }

  /** A float32 initializer of the given shape, values row-major. */
  private void initializer(String name, int[] shape, double[] values) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (int d : shape) {
      t.addDims(d);
    }
    for (double v : values) {
      t.addFloatData((float) v);
    }
    graph.addInitializer(t);
  }

  /** Theta[:, from:to] row-major. */
  private static double[] columns(Matrix t, int from, int to) {
    int w = to - from;
    double[] out = new double[t.rows() * w];
    for (int r = 0; r < t.rows(); r++) {
      for (int c = from; c < to; c++) {
        out[r * w + c - from] = t.get(r, c);
      }
    }
    return out;
  }

  private static AttributeProto attribute(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  /** A graph input or output: [N, width] with a symbolic batch N, or [N] when width is -1. */
  private static ValueInfoProto tensor(String name, int elemType, int width) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
    if (width >= 0) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width));
    }
    return ValueInfoProto.newBuilder().setName(name)
        .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType)
            .setShape(shape)))
        .build();
  }

  private static void metadata(ModelProto.Builder m, String key, String value) {
    m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value));
  }
}
