package org.clprop.opencl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import org.clprop.data.Dataset;
import org.clprop.data.RowCursor;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_event;

/**
 * Feeds minibatches of a training set that is not resident on the device. Two slots alternate:
 * while the compute queue works on the batch in one slot, the next batch is gathered on the host
 * into the other slot's direct buffer and written by a second (transfer) queue, so the upload
 * overlaps the compute. Events order the two queues: a slot's write waits until the compute queue
 * has copied the slot's previous contents out, and the copy waits for the write.
 */
final class BatchStreamer implements AutoCloseable {
  private final ClContext ctx;
  private final int features;
  private final int capacity;
  private cl_command_queue transfer;
  private final ClBuffer[] x = new ClBuffer[2];
  private final ClBuffer[] y = new ClBuffer[2];
  private final ByteBuffer[] hostX = new ByteBuffer[2];
  private final ByteBuffer[] hostY = new ByteBuffer[2];
  /** Set when a slot's upload was enqueued; the copy out of the slot waits on it. */
  private final cl_event[] written = new cl_event[2];
  /** Set when a slot's contents were copied out; the next upload into it waits on it. */
  private final cl_event[] consumed = new cl_event[2];
  private int next;
  private int pendingSlot = -1;
  private int pendingFrom;
  private int pendingCount;
  private int[] pendingOrder;
  private long loads;
  private long prefetched;
  /** The rows of the set streamed (one cursor: uploads run on the calling thread), and that set. */
  private RowCursor rows;
  private Dataset rowsOf;
  private final float[] widened;

  BatchStreamer(ClContext ctx, int capacity, int features) {
    this.ctx = ctx;
    this.features = features;
    this.capacity = capacity;
    this.widened = new float[features];
    transfer = ctx.newQueue();
    for (int i = 0; i < 2; i++) {
      x[i] = ctx.buffer("streamed examples " + i, (long) capacity * features * 4);
      y[i] = ctx.buffer("streamed labels " + i, (long) capacity * 4);
      hostX[i] = ByteBuffer.allocateDirect(capacity * features * 4).order(ByteOrder.nativeOrder());
      hostY[i] = ByteBuffer.allocateDirect(capacity * 4).order(ByteOrder.nativeOrder());
    }
  }

  /**
   * Enqueues on the compute queue the copy of rows {@code order[from .. from+n)} into {@code batchX}
   * and their labels into {@code batchY}, uploading them first unless {@link #prefetch} already did.
   */
  void load(Dataset data, int[] order, int from, int n, ClBuffer batchX, ClBuffer batchY) {
    int slot;
    loads++;
    if (pendingSlot >= 0 && pendingOrder == order && pendingFrom == from && pendingCount == n) {
      slot = pendingSlot;
      prefetched++;
    } else {
      slot = upload(data, order, from, n);
    }
    pendingSlot = -1;
    try {
      cl_event[] wait = {written[slot]};
      CL.clEnqueueCopyBuffer(ctx.queue(), x[slot].mem(), batchX.mem(), 0, 0, (long) n * features * 4, 1, wait, null);
      cl_event done = new cl_event();
      CL.clEnqueueCopyBuffer(ctx.queue(), y[slot].mem(), batchY.mem(), 0, 0, (long) n * 4, 1, wait, done);
      release(consumed, slot);
      consumed[slot] = done;
    } catch (CLException e) {
      throw OpenClException.of("copying a streamed batch on " + ctx.device().name(), e);
    }
  }

  /** Starts the upload of rows {@code order[from .. from+n)} for the next {@link #load}. */
  void prefetch(Dataset data, int[] order, int from, int n) {
    if (n <= 0 || from + n > order.length) {
      return;
    }
    pendingSlot = upload(data, order, from, n);
    pendingOrder = order;
    pendingFrom = from;
    pendingCount = n;
  }

  private int upload(Dataset data, int[] order, int from, int n) {
    if (n > capacity) {
      throw new IllegalArgumentException("batch of " + n + " rows above the streaming capacity " + capacity);
    }
    int slot = next;
    next = 1 - next;
    try {
      // The host buffer is reused only after its previous write finished (long done by now).
      if (written[slot] != null) {
        CL.clWaitForEvents(1, new cl_event[] {written[slot]});
      }
      FloatBuffer fx = hostX[slot].asFloatBuffer();
      IntBuffer iy = hostY[slot].asIntBuffer();
      if (rows == null || rowsOf != data) {
        rows = data.cursor();
        rowsOf = data;
      }
      int[] labels = data.labels();
      for (int i = 0; i < n; i++) {
        int row = order[from + i];
        if (rows.pixels()) {
          // Pixel bytes widen on the host, a row at a time.
          rows.copy(row, widened, 0);
          fx.put(widened, 0, features);
        } else {
          rows.seek(row);
          fx.put(rows.floats(), rows.offset(), features);
        }
        iy.put(labels[row]);
      }
      int waits = consumed[slot] == null ? 0 : 1;
      cl_event[] wait = waits == 0 ? null : new cl_event[] {consumed[slot]};
      cl_event wx = new cl_event();
      CL.clEnqueueWriteBuffer(transfer, x[slot].mem(), false, 0, (long) n * features * 4, Pointer.to(hostX[slot]),
          waits, wait, null);
      CL.clEnqueueWriteBuffer(transfer, y[slot].mem(), false, 0, (long) n * 4, Pointer.to(hostY[slot]), waits, wait,
          wx);
      CL.clFlush(transfer);
      release(written, slot);
      written[slot] = wx;
      return slot;
    } catch (CLException e) {
      throw OpenClException.of("uploading a streamed batch to " + ctx.device().name(), e);
    }
  }

  /** How many batches were loaded, and how many of them had been uploaded ahead. */
  long[] loadsAndPrefetched() {
    return new long[] {loads, prefetched};
  }

  private static void release(cl_event[] events, int slot) {
    if (events[slot] != null) {
      CL.clReleaseEvent(events[slot]);
      events[slot] = null;
    }
  }

  @Override
  public void close() {
    if (transfer != null) {
      CL.clFinish(transfer);
      for (int i = 0; i < 2; i++) {
        release(written, i);
        release(consumed, i);
        x[i].close();
        y[i].close();
      }
      CL.clReleaseCommandQueue(transfer);
      transfer = null;
    }
  }
}
