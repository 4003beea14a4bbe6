/**
 * Training on an Apache Spark cluster as a Spark ML estimator and model (docs/spark.md). API:
 * {@link org.clprop.spark.ClpropClassifier} (the estimator and its params),
 * {@link org.clprop.spark.ClpropClassificationModel} (what a fit returns; Spark ML saves and loads
 * it, and the CLI reads its model file), {@link org.clprop.spark.ClpropTrainingSummary} and
 * {@link org.clprop.spark.IterationListener}. Internal: the distributed fit behind them (partitions
 * bound to executor backends, the sums they return, the driver's update, persistence), all
 * package-private. Spark is a provided dependency, loaded by no package but this one and
 * {@code org.clprop.spark.app}.
 */
package org.clprop.spark;
