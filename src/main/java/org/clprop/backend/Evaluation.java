package org.clprop.backend;

/** Cost J (docs/algorithm.md, regularisation included) and the fraction of correct predictions. */
public record Evaluation(double cost, double accuracy, int examples) {}
