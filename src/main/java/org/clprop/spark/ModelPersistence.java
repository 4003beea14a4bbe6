package org.clprop.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.clprop.core.Network;
import scala.Option;

/**
 * Saving and loading {@link ClpropClassificationModel} in Spark ML's layout: {@code path/metadata}
 * (Spark's JSON of class, uid and params) and {@code path/data/model.npz}, clprop's model file.
 * The model file goes through Hadoop's FileSystem, so any path Spark can write (HDFS, S3, local).
 */
final class ModelPersistence {
  static final String NPZ = "data/model.npz";

  private ModelPersistence() {}

  static final class Writer extends MLWriter {
    private final ClpropClassificationModel model;

    Writer(ClpropClassificationModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession(), Option.empty(), Option.empty());
      java.nio.file.Path local = null;
      try {
        local = Files.createTempFile("clprop-model", ".npz");
        model.writeNpz(local);
        Path target = new Path(path, NPZ);
        target.getFileSystem(hadoopConf()).copyFromLocalFile(false, true, new Path(local.toUri()), target);
      } catch (IOException e) {
        throw new UncheckedIOException("writing " + path + "/" + NPZ + ": " + e.getMessage(), e);
      } finally {
        deleteQuietly(local);
      }
    }

    private Configuration hadoopConf() {
      return sparkSession().sparkContext().hadoopConfiguration();
    }
  }

  static final class Reader extends MLReader<ClpropClassificationModel> {
    @Override
    public ClpropClassificationModel load(String path) {
      DefaultParamsReader.Metadata meta = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
          ClpropClassificationModel.class.getName());
      java.nio.file.Path local = null;
      try {
        local = Files.createTempFile("clprop-model", ".npz");
        Path source = new Path(path, NPZ);
        FileSystem fs = source.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
        fs.copyToLocalFile(false, source, new Path(local.toUri()), true);
        Network n = ClpropClassificationModel.fromNpz(local).network();
        ClpropClassificationModel model = new ClpropClassificationModel(meta.uid(), n.sizes(), n.toFlatFloats());
        meta.getAndSetParams(model, Option.empty());
        return model;
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + path + "/" + NPZ + ": " + e.getMessage(), e);
      } finally {
        deleteQuietly(local);
      }
    }
  }

  private static void deleteQuietly(java.nio.file.Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // a temporary file left in the temporary folder
      }
    }
  }
}
