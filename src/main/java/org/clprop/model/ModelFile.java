package org.clprop.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clprop.core.Matrix;
import org.clprop.core.MemoryBudget;
import org.clprop.core.Network;
import org.clprop.io.DataFormatException;
import org.clprop.npy.NpyArray;
import org.clprop.npy.Npz;

/**
 * Models on disk as NumPy .npz: arrays {@code theta1} .. {@code theta{L-1}} in the Theta layout of
 * docs/algorithm.md (s_{l+1} x (s_l + 1), bias as column 0), float32 when written by clprop, float32 or
 * float64 when read; and a {@code meta.json} entry (layer sizes, lambda, how it was trained, class
 * names, clprop's version, and what the network computes: activation, output, scaling, read by
 * {@link ModelSpec}). {@code np.load("m.npz")["theta1"]} reads a layer in Python. Writes are
 * atomic: a crash leaves the old file or the whole new one.
 */
public final class ModelFile {
  /**
   * A loaded model: the network, its class names (empty when the file names none), the fields
   * of its meta.json (empty for a file without one, such as one written by NumPy): strings,
   * Doubles, Booleans, nulls, Lists and Maps; and what those fields say the network computes.
   *
   * @param network the layer sizes, from the Theta shapes, and the weights
   * @param classNames names of the classes, by label; empty when the file names none
   * @param meta the fields of meta.json, unmodifiable
   * @param spec the activation, output and input scaling that meta.json names ({@link ModelSpec})
   */
  public record Model(Network network, List<String> classNames, Map<String, Object> meta, ModelSpec spec) {
    /** Copies {@code classNames} and {@code meta} into unmodifiable collections. */
    public Model {
      classNames = List.copyOf(classNames);
      meta = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(meta));
      java.util.Objects.requireNonNull(spec, "spec");
    }

    /** A model whose spec is read from {@code meta}, as a model file's is. */
    public Model(Network network, List<String> classNames, Map<String, Object> meta) {
      this(network, classNames, meta, ModelSpec.fromMeta(meta, network.inputs(), "model"));
    }
  }

  private ModelFile() {}

  /**
   * Writes {@code net} with a meta.json made of {@code training} (key to a number, string, or list of
   * strings) plus the layer sizes and clprop's version.
   */
  public static void save(Path file, Network net, Map<String, Object> training) throws IOException {
    Npz.write(file, thetaArrays(net), Map.of("meta.json", metaJson("clprop model", net, training)));
  }

  /** theta1 .. theta{L-1} as float32 arrays, in order: the part a model file and a checkpoint share. */
  static Map<String, NpyArray> thetaArrays(Network net) {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    for (int l = 1; l < net.layers(); l++) {
      Matrix t = net.theta(l);
      arrays.put("theta" + l, NpyArray.float32(t.rows(), t.cols(), t.toRowMajor()));
    }
    return arrays;
  }

  /** meta.json: the format, clprop's version, the layer sizes, then {@code fields}. */
  static String metaJson(String format, Network net, Map<String, Object> fields) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", format);
    meta.put("clprop", version());
    meta.put("layers", net.sizes());
    meta.putAll(fields);
    return MetaJson.write(meta);
  }

  /**
   * Reads a model file (or a checkpoint, or any .npz of theta1 .. theta{L-1}); the layer sizes
   * come from the Theta shapes, which must chain.
   *
   * @throws DataFormatException when the file is not a readable .npz, a Theta is misshapen or not
   *     finite, or meta.json is invalid or disagrees with the Thetas
   */
  public static Model load(Path file) {
    return of(file, Npz.read(file));
  }

  /** The model in the contents of {@code file}, read once (a checkpoint reads more from them). */
  static Model of(Path file, Npz.Contents c) {
    List<Matrix> thetas = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    for (int l = 1; c.arrays().containsKey("theta" + l); l++) {
      NpyArray a = c.arrays().get("theta" + l);
      String name = file + ": theta" + l;
      if (a.shape().length != 2 || a.shape()[0] < 1 || a.shape()[1] < 2) {
        throw new DataFormatException(name + " has shape " + a.shapeString() + "; a Theta is (units out, units in + 1)");
      }
      int out = a.shape()[0];
      int in = a.shape()[1] - 1;
      if (l == 1) {
        sizes.add(in);
      } else if (sizes.get(sizes.size() - 1) != in) {
        throw new DataFormatException(name + " has shape " + a.shapeString() + " but theta" + (l - 1) + " gives "
            + sizes.get(sizes.size() - 1) + " units: expected (k, " + (sizes.get(sizes.size() - 1) + 1) + ")");
      }
      for (double v : a.values()) {
        if (!Double.isFinite(v)) {
          throw new DataFormatException(name + " holds " + v + "; weights must be finite");
        }
      }
      sizes.add(out);
      MemoryBudget.require(8L * a.values().length, name + " " + a.shapeString(), "use a smaller model");
      thetas.add(Matrix.of(out, in + 1, a.values()));
    }
    if (thetas.isEmpty()) {
      throw new DataFormatException(file + ": no array theta1 (has " + c.arrays().keySet() + "): not a clprop model");
    }
    byte[] bytes = c.other().get("meta.json");
    Map<String, Object> meta;
    try {
      meta = MetaJson.read(bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(file + ": meta.json is not valid JSON (" + e.getMessage() + ")", e);
    }
    int[] s = sizes.stream().mapToInt(Integer::intValue).toArray();
    List<String> names = classNames(file, meta);
    if (!names.isEmpty() && names.size() != s[s.length - 1]) {
      throw new DataFormatException(file + ": meta.json names " + names.size() + " classes but the output layer has "
          + s[s.length - 1] + " units");
    }
    return new Model(new Network(s, thetas), names, meta, ModelSpec.fromMeta(meta, s[0], file.toString()));
  }

  /**
   * Writes the model in {@code model} to {@code out} as ONNX (atomically), for ONNX Runtime and
   * other ONNX tools; {@link org.clprop.onnx.OnnxExport} describes the graph. Needs protobuf-javalite
   * on the class path.
   *
   * @throws DataFormatException when {@code model} is missing or not a clprop model
   */
  public static void exportOnnx(Path model, Path out) throws IOException {
    org.clprop.onnx.OnnxExport.write(load(model), out);
  }

  private static List<String> classNames(Path file, Map<String, Object> meta) {
    Object v = meta.get("classNames");
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l && l.stream().allMatch(String.class::isInstance)) {
      return l.stream().map(String.class::cast).toList();
    }
    throw new DataFormatException(file + ": meta.json's classNames is not a list of strings");
  }

  /** clprop's version from the jar's manifest, or "development" when run from classes. */
  public static String version() {
    String v = ModelFile.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }
}
