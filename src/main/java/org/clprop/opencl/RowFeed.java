package org.clprop.opencl;

import org.clprop.backend.BackendChecks;
import org.clprop.data.Dataset;
import org.clprop.data.RowCursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a batch's rows reach A(1) and its labels y on the device: gathered there from a resident
 * copy of the data (by an order buffer), streamed by a {@link BatchStreamer} when the training set
 * does not fit, or, for a pass over other data that does not fit, gathered on the host and written.
 */
final class RowFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RowFeed.class);

  private final ClContext ctx;
  private final ClKernels k;
  private final int features;
  private final ResidentSets resident;
  /** The bound training set when it is streamed, not resident, and its streamer. */
  private Dataset streamed;
  private BatchStreamer streamer;
  /** The epoch's order of the bound set, as the trainer gave it. */
  private int[] order;
  private float[] stagingX;
  private int[] stagingY;
  /** The rows of the last data set gathered on the host, and that set. */
  private RowCursor stagingRows;
  private Dataset stagingData;

  RowFeed(ClContext ctx, ClKernels k, int features) {
    this.ctx = ctx;
    this.k = k;
    this.features = features;
    this.resident = new ResidentSets(ctx);
  }

  /** Makes {@code data} the training set: resident when it fits, else streamed in batches of up to {@code capacity}. */
  void bind(Dataset data, int capacity) {
    closeStreamer();
    streamed = null;
    order = null;
    if (resident.bind(data) == null) {
      streamed = data;
      streamer = new BatchStreamer(ctx, capacity, features);
      LOG.info("training set of {} bytes does not fit on {}: streaming minibatches",
          (long) data.size() * data.features() * 4, ctx.device().name());
    }
  }

  /** The bound training set, resident or streamed; null before {@link #bind}. */
  Dataset bound() {
    ResidentData r = resident.bound();
    return r != null ? r.data : streamed;
  }

  /** The epoch order, kept for the host and written to a resident set's order buffer. */
  void setOrder(int[] newOrder) {
    BackendChecks.order(bound(), newOrder);
    ResidentData r = resident.bound();
    if (r != null) {
      r.order.write(ctx.queue(), newOrder, 0, 0, newOrder.length);
    }
    order = newOrder;
  }

  int[] order() {
    return order;
  }

  /** Rows order[from .. from+n) of the training set into the batch. */
  void loadStep(int from, int n, BatchBuffers batch) {
    if (streamer != null) {
      streamer.load(streamed, order, from, n, batch.act[0], batch.labels);
    } else {
      load(resident.bound(), null, order, from, n, batch);
    }
  }

  /** Starts uploading the batch after rows [from, from+n), the trainer's likely next one, when streaming. */
  void prefetchAfter(int from, int n) {
    if (streamer != null) {
      int next = from + n;
      streamer.prefetch(streamed, order, next, Math.min(n, order.length - next));
    }
  }

  /** The resident copy of {@code data} for a whole pass, uploaded (and kept for the next pass) when it fits; else null. */
  ResidentData forPass(Dataset data) {
    return resident.forPass(data);
  }

  /** The bound set's resident copy, or null when it is streamed. */
  ResidentData boundResident() {
    return resident.bound();
  }

  /**
   * Rows into A(1) and y: with a resident set {@code r} by its order buffer (rows in order when
   * {@code order} is null, else by the uploaded epoch order); otherwise gathered on the host from
   * {@code data} (by {@code order}, or in order when it is null) and written.
   */
  void load(ResidentData r, Dataset data, int[] rows, int from, int n, BatchBuffers batch) {
    if (r != null) {
      // For a whole pass (rows == null) the resident order buffer of a bound set may hold an epoch's
      // permutation: every row is still visited once, which is all a sum over the data needs.
      k.gatherRows(r.x, r.order, from, n, features, batch.act[0]);
      k.gatherLabels(r.labels, r.order, from, n, batch.labels);
      return;
    }
    int capacity = batch.capacity();
    int[] y = data.labels();
    if (stagingX == null || stagingX.length < capacity * features) {
      stagingX = new float[capacity * features];
      stagingY = new int[capacity];
    }
    if (stagingRows == null || stagingData != data) {
      stagingRows = data.cursor();
      stagingData = data;
    }
    for (int i = 0; i < n; i++) {
      int row = rows == null ? from + i : rows[from + i];
      stagingRows.copy(row, stagingX, i * features);
      stagingY[i] = y[row];
    }
    batch.act[0].write(ctx.queue(), stagingX, 0, 0, n * features);
    batch.labels.write(ctx.queue(), stagingY, 0, 0, n);
  }

  /** Batches streamed since binding and how many were uploaded ahead; zeros when resident. */
  long[] streamingCounts() {
    return streamer == null ? new long[2] : streamer.loadsAndPrefetched();
  }

  private void closeStreamer() {
    if (streamer != null) {
      long[] c = streamer.loadsAndPrefetched();
      LOG.debug("streamed {} batches, {} of them uploaded during the previous step", c[0], c[1]);
      streamer.close();
      streamer = null;
    }
  }

  @Override
  public void close() {
    resident.close();
    closeStreamer();
  }
}
