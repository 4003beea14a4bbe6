package org.clprop.backend;

/**
 * Cost J (docs/algorithm.md, regularisation included) and the fraction of correct predictions.
 *
 * @param cost J: the mean cross-entropy plus lambda/(2m) times the sum of squares off the bias columns
 * @param accuracy fraction of examples whose argmax output unit is their label
 * @param examples m, the number of examples measured
 */
public record Evaluation(double cost, double accuracy, int examples) {}
