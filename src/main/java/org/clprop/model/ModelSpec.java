package org.clprop.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.clprop.io.DataFormatException;

/**
 * What a model computes besides its Thetas, as meta.json records it:
 *
 * <pre>
 *   "activation": "sigmoid" | "tanh" | "relu"     g of every hidden layer (absent: sigmoid)
 *   "output":     "sigmoid" | "softmax"           h = a(L): one sigmoid per class, or softmax (absent: sigmoid)
 *   "scaling":    null | {"kind": "standard" | "minmax", "offset": [n numbers], "scale": [n numbers]}
 *                 the network's input is x' = (x - offset) .* scale, n = s_1 (absent or null: none)
 * </pre>
 *
 * <p>A file without these fields is the course's network, {@link #COURSE}: sigmoid hidden units,
 * one sigmoid per class, no scaling. The forward pass of a model is then
 * a(1) = x', a(l+1) = g(Theta(l) [1; a(l)]) for the hidden layers and h = out(Theta(L-1) [1; a(L-1)]).
 */
public record ModelSpec(Activation activation, Output output, Optional<Scaling> scaling) {
  /** The course's network: sigmoid, sigmoid, unscaled. */
  public static final ModelSpec COURSE = new ModelSpec(Activation.SIGMOID, Output.SIGMOID, Optional.empty());

  /** Refuses nulls: an unscaled model has an empty {@code scaling}, not a null one. */
  public ModelSpec {
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(scaling, "scaling");
  }

  /** g of the hidden layers. */
  public enum Activation {
    /** g(z) = 1 / (1 + e^-z), the course's. */
    SIGMOID,
    /** g(z) = tanh(z). */
    TANH,
    /** g(z) = max(0, z). */
    RELU;

    /** The name in meta.json and on the command line: "sigmoid", "tanh", "relu". */
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The output layer's function h = out(z(L)). */
  public enum Output {
    /** h_k = sigmoid(z_k), one logistic unit per class (the course's; need not sum to 1). */
    SIGMOID,
    /** h_k = e^{z_k} / sum_j e^{z_j}: probabilities that sum to 1. */
    SOFTMAX;

    /** The name in meta.json and on the command line: "sigmoid", "softmax". */
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Feature scaling learned with the model: x' = (x - offset) .* scale, element-wise over the n
   * inputs. Standard: offset = mean, scale = 1/std; minmax: offset = min, scale = 1/(max - min);
   * both with scale 1 for a constant feature.
   */
  public record Scaling(Kind kind, double[] offset, double[] scale) {
    /** How offset and scale were derived from the training data. */
    public enum Kind {
      /** offset = the mean, scale = 1 / the standard deviation of each feature. */
      STANDARD,
      /** offset = the minimum, scale = 1 / (max - min) of each feature: the training range to [0, 1]. */
      MINMAX;

      /** The name in meta.json: "standard", "minmax". */
      public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
      }
    }

    /**
     * Copies both arrays, so that the record stays immutable; refuses lengths that differ or are 0,
     * and values that are not finite.
     */
    public Scaling {
      Objects.requireNonNull(kind, "kind");
      offset = offset.clone();
      scale = scale.clone();
      if (offset.length != scale.length || offset.length == 0) {
        throw new IllegalArgumentException("offset and scale need the same, positive length: " + offset.length
            + " and " + scale.length);
      }
      for (int j = 0; j < offset.length; j++) {
        if (!Double.isFinite(offset[j]) || !Double.isFinite(scale[j])) {
          throw new IllegalArgumentException("feature " + j + ": offset " + offset[j] + ", scale " + scale[j]
              + "; both must be finite");
        }
      }
    }

    /** n, the number of features scaled. */
    public int features() {
      return offset.length;
    }

    /** The n offsets subtracted from the features (a copy). */
    @Override
    public double[] offset() {
      return offset.clone();
    }

    /** The n factors the centred features are multiplied by (a copy). */
    @Override
    public double[] scale() {
      return scale.clone();
    }

    /**
     * Scales {@code rows} examples of {@link #features()} values each, row-major, in place:
     * x' = (x - (float) offset) * (float) scale in float32, one rounding per operation: the same
     * arithmetic as the Sub and Mul of the exported ONNX graph, so both give identical inputs.
     */
    public void apply(float[] x, int rows) {
      int n = offset.length;
      if (x.length != Math.multiplyExact(rows, n)) {
        throw new IllegalArgumentException(x.length + " values are not " + rows + " rows of " + n + " features");
      }
      float[] o = toFloats(offset);
      float[] s = toFloats(scale);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < n; j++) {
          x[i * n + j] = (x[i * n + j] - o[j]) * s[j];
        }
      }
    }

    /** meta.json's object: kind, offset, scale. */
    public Map<String, Object> toMeta() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", kind.jsonName());
      m.put("offset", Arrays.stream(offset).boxed().toList());
      m.put("scale", Arrays.stream(scale).boxed().toList());
      return m;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Scaling s && s.kind == kind && Arrays.equals(s.offset, offset) && Arrays.equals(s.scale, scale);
    }

    @Override
    public int hashCode() {
      return Objects.hash(kind, Arrays.hashCode(offset), Arrays.hashCode(scale));
    }

    @Override
    public String toString() {
      return "Scaling[" + kind.jsonName() + ", " + offset.length + " features]";
    }

    private static float[] toFloats(double[] v) {
      float[] f = new float[v.length];
      for (int j = 0; j < v.length; j++) {
        f[j] = (float) v[j];
      }
      return f;
    }
  }

  /**
   * Reads the fields of a model's meta.json (as {@link ModelFile.Model#meta()} holds them) for a
   * network of {@code inputs} input units. Absent fields take the course's values.
   *
   * @param source names the file in error messages
   * @throws DataFormatException when a field holds something else than the forms above
   */
  public static ModelSpec fromMeta(Map<String, ?> meta, int inputs, String source) {
    String where = source + ": meta.json's ";
    Activation activation = named(meta.get("activation"), Activation.class, Activation.SIGMOID, where + "activation");
    Output output = named(meta.get("output"), Output.class, Output.SIGMOID, where + "output");
    Object s = meta.get("scaling");
    if (s == null) {
      return new ModelSpec(activation, output, Optional.empty());
    }
    if (!(s instanceof Map<?, ?> m)) {
      throw new DataFormatException(where + "scaling is " + show(s) + "; expected null or an object with kind, offset "
          + "and scale");
    }
    if (m.get("kind") == null) {
      throw new DataFormatException(where + "scaling has no kind; expected " + choices(Scaling.Kind.class));
    }
    Scaling.Kind kind = named(m.get("kind"), Scaling.Kind.class, null, where + "scaling.kind");
    double[] offset = numbers(m.get("offset"), inputs, where + "scaling.offset");
    double[] scale = numbers(m.get("scale"), inputs, where + "scaling.scale");
    return new ModelSpec(activation, output, Optional.of(new Scaling(kind, offset, scale)));
  }

  /**
   * The meta.json fields of this spec, to be added to a model file's meta map: activation and
   * output by name, scaling as an object or null.
   */
  public Map<String, Object> toMeta() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("activation", activation.jsonName());
    m.put("output", output.jsonName());
    m.put("scaling", scaling.map(Scaling::toMeta).orElse(null));
    return m;
  }

  /** "sigmoid hidden units, softmax outputs, standard scaling": for logs and descriptions. */
  public String describe() {
    return activation.jsonName() + " hidden units, " + output.jsonName() + " outputs, "
        + scaling.map(s -> s.kind().jsonName() + " scaling").orElse("no scaling");
  }

  private static <E extends Enum<E>> E named(Object v, Class<E> type, E absent, String what) {
    if (v == null && absent != null) {
      return absent;
    }
    if (v instanceof String name) {
      for (E e : type.getEnumConstants()) {
        if (e.name().toLowerCase(Locale.ROOT).equals(name)) {
          return e;
        }
      }
    }
    throw new DataFormatException(what + " is " + show(v) + "; expected " + choices(type));
  }

  private static double[] numbers(Object v, int n, String what) {
    if (!(v instanceof List<?> list)) {
      throw new DataFormatException(what + " is " + show(v) + "; expected a list of " + n + " numbers");
    }
    if (list.size() != n) {
      throw new DataFormatException(what + " has " + list.size() + " values but the input layer has " + n + " units");
    }
    double[] out = new double[n];
    for (int j = 0; j < n; j++) {
      // JSON has no NaN or infinity: clprop writes them as null, which is refused here.
      if (!(list.get(j) instanceof Number x) || !Double.isFinite(x.doubleValue())) {
        throw new DataFormatException(what + "[" + j + "] is " + show(list.get(j)) + "; expected a finite number");
      }
      out[j] = ((Number) list.get(j)).doubleValue();
    }
    return out;
  }

  private static String show(Object v) {
    if (v instanceof String s) {
      return "'" + s + "'";
    }
    if (v instanceof List<?> || v instanceof Map<?, ?>) {
      return v instanceof List<?> ? "a list" : "an object";
    }
    return String.valueOf(v);
  }

  private static String choices(Class<? extends Enum<?>> type) {
    List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
  }
}
