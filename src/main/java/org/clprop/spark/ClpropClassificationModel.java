package org.clprop.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.clprop.core.Network;
import org.clprop.model.ModelFile;

/**
 * A trained clprop network as a Spark ML model. {@code transform} adds, per row:
 * rawPrediction = h = a(L), the K sigmoid outputs of the network; probability = h / sum(h), so that
 * it sums to 1 as Spark's evaluators expect; prediction = the index of the largest output, the
 * class {@code clprop predict} gives.
 *
 * <p>{@code write().save(path)} writes Spark's metadata and the weights as clprop's model file,
 * {@code path/data/model.npz}, which {@code clprop evaluate --model} and NumPy read;
 * {@link #writeNpz} writes that file alone and {@link #fromNpz} reads one the CLI wrote.
 */
public final class ClpropClassificationModel
    extends ProbabilisticClassificationModel<Vector, ClpropClassificationModel> implements MLWritable {
  private static final long serialVersionUID = 1L;

  /** The uid, set on the first call of {@link #uid()} from {@link PendingUid}, as the estimator's. */
  private String uid;
  /** Layer sizes s_1 .. s_L. */
  private final int[] layers;
  /**
   * Theta(1) .. Theta(L-1) one after another, each s_{l+1} x (s_l + 1) row-major with the bias as
   * column 0: float32, as the backends trained them.
   */
  private final float[] parameters;
  private transient ClpropTrainingSummary summary;

  ClpropClassificationModel(String uid, int[] layers, float[] parameters) {
    this(PendingUid.of(uid), layers, parameters);
  }

  private ClpropClassificationModel(PendingUid token, int[] layers, float[] parameters) {
    this.layers = Network.checkSizes(layers);
    if (parameters.length != Network.parameterCount(layers)) {
      throw new IllegalArgumentException("parameters: " + parameters.length + " values, layers need "
          + Network.parameterCount(layers));
    }
    this.parameters = parameters.clone();
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = PendingUid.take("clpropClassificationModel");
    }
    return uid;
  }

  ClpropClassificationModel withSummary(ClpropTrainingSummary s) {
    summary = s;
    return this;
  }

  @Override
  public int numClasses() {
    return layers[layers.length - 1];
  }

  @Override
  public int numFeatures() {
    return layers[0];
  }

  /** Layer sizes s_1 .. s_L. */
  public int[] getLayers() {
    return layers.clone();
  }

  /** The weights: layer sizes and Theta(1) .. Theta(L-1), bias as column 0. */
  public Network network() {
    return Network.fromFlatFloats(layers, parameters);
  }

  /** The training summary of the fit that made this model; absent on a loaded or copied model. */
  public boolean hasSummary() {
    return summary != null;
  }

  /**
   * The training summary of the fit that made this model. Throws {@code IllegalStateException} on a
   * loaded or copied model (see {@link #hasSummary}).
   */
  public ClpropTrainingSummary summary() {
    if (summary == null) {
      throw new IllegalStateException("no training summary: this model was loaded or copied, not fitted");
    }
    return summary;
  }

  /** h = a(L) for one example: the forward pass of docs/algorithm.md, in double precision. */
  @Override
  public Vector predictRaw(Vector features) {
    if (features.size() != layers[0]) {
      throw new IllegalArgumentException("features: " + features.size() + " values, the model's input layer has "
          + layers[0] + " units");
    }
    double[] a = features.toArray();
    int off = 0;
    for (int l = 0; l + 1 < layers.length; l++) {
      int in = layers[l];
      double[] next = new double[layers[l + 1]];
      for (int j = 0; j < next.length; j++) {
        int row = off + j * (in + 1);
        double z = parameters[row]; // z = Theta(l) [1; a]
        for (int c = 0; c < in; c++) {
          z += parameters[row + 1 + c] * a[c];
        }
        next[j] = 1 / (1 + Math.exp(-z));
      }
      off += next.length * (in + 1);
      a = next;
    }
    return new DenseVector(a);
  }

  /** h / sum(h): the K sigmoid outputs scaled to a distribution. */
  @Override
  public Vector raw2probabilityInPlace(Vector raw) {
    DenseVector d = (DenseVector) raw;
    ProbabilisticClassificationModel.normalizeToProbabilitiesInPlace(d);
    return d;
  }

  @Override
  public ClpropClassificationModel copy(ParamMap extra) {
    ClpropClassificationModel m = new ClpropClassificationModel(uid(), layers, parameters);
    return copyValues(m, extra).setParent(parent());
  }

  /** Writes the weights as clprop's model file (NumPy .npz with meta.json), atomically. */
  public void writeNpz(Path file) throws IOException {
    ModelFile.save(file, network(), Map.of("trainedBy", "clprop on Spark (org.clprop.spark.ClpropClassifier)"));
  }

  /** A model from a clprop model file, for example one {@code clprop train --out} wrote. */
  public static ClpropClassificationModel fromNpz(Path file) {
    Network n = ModelFile.load(file).network();
    return new ClpropClassificationModel((String) null, n.sizes(), n.toFlatFloats());
  }

  @Override
  public MLWriter write() {
    return new ModelPersistence.Writer(this);
  }

  /**
   * Reads a model saved with {@code write().save(path)}: Spark's metadata (uid, params) and
   * {@code path/data/model.npz}, through Hadoop's FileSystem. The summary is not saved.
   */
  public static MLReader<ClpropClassificationModel> read() {
    return new ModelPersistence.Reader();
  }

  /** {@code read().load(path)}. */
  public static ClpropClassificationModel load(String path) {
    return read().load(path);
  }

  /**
   * Spark declares this in two superclasses with different generic types, which Java cannot
   * inherit together; the raw type resolves it to ProbabilisticClassificationModel's.
   */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  @Override
  public String toString() {
    return "ClpropClassificationModel: uid=" + uid() + ", layers=" + java.util.Arrays.toString(layers);
  }
}
