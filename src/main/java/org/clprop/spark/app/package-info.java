/**
 * Applications of {@code target/clprop-spark.jar} built on {@link org.clprop.spark}:
 * {@link org.clprop.spark.app.SparkTrain} (a fit on a cluster, which tools/spark-cluster submits),
 * {@link org.clprop.spark.app.MllibComparison} (the benchmark against MLlib of docs/spark.md) and
 * {@link org.clprop.spark.app.GpuDiscovery} (Spark's GPU discovery, which
 * tools/spark-gpu-discovery runs). Entry points, not API: their options and output may change, and
 * their option parsing and DataFrame loading are package-private.
 */
package org.clprop.spark.app;
