/**
 * A trained model as a standard ONNX model, for ONNX Runtime and other ONNX tools. API:
 * {@link org.clprop.onnx.OnnxExport} (the graph's layout, its input and output names, and writing
 * it). Internal: the package-private graph builder and the classes generated from ONNX's schema in
 * {@code org.clprop.onnx.proto}, which need the optional protobuf-javalite runtime and may change
 * without notice.
 */
package org.clprop.onnx;
