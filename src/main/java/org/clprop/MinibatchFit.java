package org.clprop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.clprop.backend.Backend;
import org.clprop.backend.OptimizerState;
import org.clprop.backend.Regularization;
import org.clprop.backend.StepMetrics;
import org.clprop.core.Network;
import org.clprop.data.Dataset;
import org.clprop.data.Shuffle;
import org.clprop.model.Checkpoint;
import org.clprop.optim.LearningRateSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The minibatch loop (SGD, momentum, Adam): seeded shuffles, one backend step per batch, metrics
 * read once per epoch, the learning-rate schedule applied between epochs, checkpoints, resume from a
 * checkpoint down to the batch, and a fall-back to the last finite epoch's weights when the cost
 * diverges.
 */
final class MinibatchFit {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final FitSession s;
  private final TrainerConfig config;
  private final Backend backend;

  MinibatchFit(FitSession session) {
    this.s = session;
    this.config = session.config;
    this.backend = session.backend;
  }

  /** Trains on {@code train}, continuing from {@code resume} when it is not null. */
  History run(Dataset train, Checkpoint resume) {
    int m = train.size();
    int batch = Math.min(config.batchSize(), m);
    int batches = (m + batch - 1) / batch;
    backend.bindTrainingSet(train, batch);
    backend.setOptimizer(config.optimizer());
    long shuffleSeed = resume != null ? resume.shuffleSeed() : config.seed() * 0x9E3779B97F4A7C15L + s.fitNumber;
    SplittableRandom rng = new SplittableRandom(shuffleSeed);
    int[] order = new int[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    List<EpochStats> epochs = new ArrayList<>();
    int startEpoch = 1;
    int startBatch = 0;
    if (resume != null) {
      resume.checkResumable(config.optimizer().kind(), config.epochs(), m, config.batchSize());
      resume.checkSpec(s.spec);
      backend.setOptimizerState(resume.optimizer());
      resume.history().forEach(row -> epochs.add(EpochStats.fromRow(row)));
      startEpoch = resume.epochsDone() + 1;
      startBatch = resume.batchesDone();
      // Replay the shuffles of the epochs done (and of the one under way) to reach the same order.
      for (int e = 0; config.shuffle() && e < resume.epochsDone() + (startBatch > 0 ? 1 : 0); e++) {
        shuffle(order, rng, train);
      }
    }
    String reason = "completed";
    // The weights at the end of the last epoch whose cost was finite, to fall back on if training diverges.
    float[] lastGood = backend.parameters();
    for (int epoch = startEpoch; epoch <= config.epochs(); epoch++) {
      long t0 = System.nanoTime();
      scheduleRate(epoch);
      int firstBatch = epoch == startEpoch ? startBatch : 0;
      if (config.shuffle() && firstBatch == 0) {
        shuffle(order, rng, train);
      }
      backend.setOrder(order);
      double costSum = 0;
      long correct = 0;
      long seen = 0;
      int windowStart = 0;
      int badBatch = -1;
      int b = firstBatch;
      for (; b < batches; b++) {
        int from = b * batch;
        int count = Math.min(batch, m - from);
        backend.trainStep(from, count, config.lambda());
        seen += count;
        if (s.hasBatchCallbacks() || s.stopRequested()) {
          StepMetrics partial = s.batchEnd(epoch, b + 1, batches, seen);
          if (partial != StepMetrics.EMPTY) {
            costSum += partial.costSum();
            correct += partial.correct();
            if (badBatch < 0 && partial.firstNonFiniteStep() >= 0) {
              badBatch = windowStart + partial.firstNonFiniteStep() + 1;
            }
            windowStart = b + 1;
          }
        }
        if (s.stopRequested() || badBatch > 0) {
          b++;
          break;
        }
      }
      StepMetrics rest = backend.takeMetrics();
      costSum += rest.costSum();
      correct += rest.correct();
      if (badBatch < 0 && rest.firstNonFiniteStep() >= 0) {
        badBatch = windowStart + rest.firstNonFiniteStep() + 1;
      }
      double trainSeconds = (System.nanoTime() - t0) / 1e9;
      if (badBatch > 0 || !Double.isFinite(costSum)) {
        backend.setParameters(lastGood);
        reason = String.format("diverged at epoch %d, batch %d: the cost became %s; %s kept; try a smaller "
            + "learning rate (now %s)", epoch, Math.max(badBatch, 1), Double.isNaN(costSum) ? "NaN" : "infinite",
            epoch == 1 ? "the starting weights are" : "the weights of epoch " + (epoch - 1) + " are",
            config.optimizer().learningRate());
        LOG.warn(reason);
        break;
      }
      float[] now = backend.parameters();
      if (s.stopRequested() && b < batches) {
        // Stopped inside the epoch: checkpoint the exact point, record no partial epoch.
        reason = "stop requested at epoch " + epoch + ", batch " + b + " of " + batches;
        writeCheckpoint(now, epoch - 1, b, shuffleSeed, epochs);
        break;
      }
      double reg = config.lambda() == 0 ? 0 : Regularization.term(config.layerSizes(), now, config.lambda(), m);
      EpochStats stats = s.epochEnd(epoch, costSum / Math.max(1, seen) + reg, (double) correct / Math.max(1, seen),
          seen, trainSeconds, t0);
      epochs.add(stats);
      lastGood = now;
      if (config.checkpointEvery() > 0 && epoch % config.checkpointEvery() == 0 || s.stopRequested()) {
        writeCheckpoint(now, epoch, 0, shuffleSeed, epochs);
      }
      if (s.stopRequested()) {
        reason = "stop requested at the end of epoch " + epoch;
        break;
      }
      if (s.endedEarly()) {
        reason = "early stopping";
        break;
      }
    }
    return s.end(epochs, reason);
  }

  /**
   * Sets the schedule's rate for {@code epoch}: the same optimiser at the new rate, its state (step
   * count, moments) carried over. Nothing happens for a constant rate.
   */
  private void scheduleRate(int epoch) {
    if (config.schedule().kind() == LearningRateSchedule.Kind.CONSTANT) {
      return;
    }
    double rate = config.schedule().rate(config.optimizer().learningRate(), epoch, config.epochs());
    OptimizerState state = backend.optimizerState();
    backend.setOptimizer(config.optimizer().withLearningRate(rate));
    backend.setOptimizerState(state);
    LOG.debug("epoch {}: learning rate {}", epoch, rate);
  }

  /**
   * The next epoch's order: all examples shuffled (the order shuffled in place, epoch after epoch),
   * or blocks and windows of them (a fresh order each epoch), as {@link Shuffling} says.
   */
  private void shuffle(int[] order, SplittableRandom rng, Dataset train) {
    Shuffling how = config.shuffling();
    boolean blocks = how.kind() == Shuffling.Kind.BLOCKS || how.kind() == Shuffling.Kind.AUTO && !train.inHeap();
    if (blocks) {
      Shuffle.blocks(order, train.shuffleBlockRows(), how.window(), rng);
    } else {
      Shuffle.shuffle(order, rng);
    }
  }

  private void writeCheckpoint(float[] params, int epochsDone, int batchesDone, long shuffleSeed,
      List<EpochStats> history) {
    if (config.checkpointFile() == null) {
      return;
    }
    Checkpoint c = new Checkpoint(Network.fromFlatFloats(config.layerSizes(), params), backend.optimizerState(),
        epochsDone, batchesDone, shuffleSeed, history.stream().map(EpochStats::toRow).toList(), s.spec);
    try {
      c.save(config.checkpointFile(), new Checkpoint.Run(config.optimizer(), config.lambda(), config.batchSize(),
          config.seed()));
      LOG.info("checkpoint written to {} (epoch {}, batch {})", config.checkpointFile(), epochsDone, batchesDone);
    } catch (IOException e) {
      throw new UncheckedIOException("writing checkpoint " + config.checkpointFile() + ": " + e.getMessage(), e);
    }
  }
}
