package org.clprop.opencl;

import org.clprop.Trainer;
import org.clprop.backend.BackendKind;
import org.clprop.data.Digits;

/** Run in a child JVM by {@link FallbackTest}: trains with AUTO twice, then asks for OPENCL. */
public final class FallbackProbe {
  private FallbackProbe() {}

  public static void main(String[] args) {
    for (int i = 1; i <= 2; i++) {
      try (Trainer t = Trainer.builder().layers(64, 16, 10).backend(BackendKind.AUTO).epochs(1).build()) {
        t.fit(Digits.load());
        System.out.println("AUTO backend " + i + ": " + t.backendDescription());
      }
    }
    try (Trainer t = Trainer.builder().layers(64, 16, 10).backend(BackendKind.OPENCL).build()) {
      System.out.println("OPENCL backend: " + t.backendDescription());
    } catch (IllegalStateException e) {
      System.out.println("OPENCL failed: " + e.getMessage());
    }
  }
}
