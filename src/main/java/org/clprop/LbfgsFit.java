package org.clprop;

import java.util.ArrayList;
import java.util.List;
import org.clprop.backend.Backend;
import org.clprop.backend.Evaluation;
import org.clprop.data.Dataset;
import org.clprop.optim.Lbfgs;

/**
 * Full-batch L-BFGS (the course's fmincg setting): each iteration evaluates J and D over the whole
 * training set on the backend, at the float32 rounding of the optimiser's double-precision point.
 */
final class LbfgsFit {
  /** Rows per chunk when the backend sweeps the whole training set. */
  private static final int FULL_BATCH_CHUNK = 1024;

  private final FitSession s;
  private final TrainerConfig config;
  private final Backend backend;

  LbfgsFit(FitSession session) {
    this.s = session;
    this.config = session.config;
    this.backend = session.backend;
  }

  History run(Dataset train) {
    backend.bindTrainingSet(train, Math.min(train.size(), FULL_BATCH_CHUNK));
    float[] params = backend.parameters();
    float[] g = new float[params.length];
    double[] x0 = new double[params.length];
    for (int i = 0; i < params.length; i++) {
      x0[i] = params[i];
    }
    // J and D at x: the weights are rounded to float32 and uploaded, D computed over all of train.
    Lbfgs.Function f = (x, grad) -> {
      for (int i = 0; i < x.length; i++) {
        params[i] = (float) x[i];
      }
      backend.setParameters(params);
      double j = backend.boundGradient(config.lambda(), g);
      for (int i = 0; i < g.length; i++) {
        grad[i] = g[i];
      }
      return j;
    };
    Lbfgs lbfgs = new Lbfgs(f, x0, config.optimizer().history());
    List<EpochStats> epochs = new ArrayList<>();
    String reason = "completed";
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      long t0 = System.nanoTime();
      int before = lbfgs.evaluations();
      boolean moved = lbfgs.iterate();
      double[] x = lbfgs.x();
      for (int i = 0; i < x.length; i++) {
        params[i] = (float) x[i];
      }
      backend.setParameters(params);
      double trainSeconds = (System.nanoTime() - t0) / 1e9;
      long samples = (long) (lbfgs.evaluations() - before) * train.size();
      Evaluation onTrain = backend.evaluate(train, config.lambda());
      epochs.add(s.epochEnd(epoch, lbfgs.value(), onTrain.accuracy(), samples, trainSeconds, t0));
      if (s.stopRequested()) {
        reason = "stop requested";
        break;
      }
      if (!moved) {
        reason = "converged";
        break;
      }
      if (s.endedEarly()) {
        reason = "early stopping";
        break;
      }
    }
    return s.end(epochs, reason);
  }
}
