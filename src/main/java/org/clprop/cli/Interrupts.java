package org.clprop.cli;

import org.clprop.Trainer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) during training asks the trainer to stop after the current batch, so that it can
 * write a checkpoint; a second Ctrl-C ends the process at once. Undone on close.
 */
final class Interrupts implements AutoCloseable {
  private final SignalHandler previous;

  private Interrupts(SignalHandler previous) {
    this.previous = previous;
  }

  static Interrupts stopOnCtrlC(Trainer t) {
    Signal sigint = new Signal("INT");
    SignalHandler[] prev = new SignalHandler[1];
    prev[0] = Signal.handle(sigint, sig -> {
      t.requestStop();
      // The next Ctrl-C is the user insisting: let it end the process.
      Signal.handle(sig, prev[0] == null ? SignalHandler.SIG_DFL : prev[0]);
    });
    return new Interrupts(prev[0]);
  }

  @Override
  public void close() {
    if (previous != null) {
      Signal.handle(new Signal("INT"), previous);
    }
  }
}
