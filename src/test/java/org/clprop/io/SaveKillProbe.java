package org.clprop.io;

import java.nio.file.Path;
import java.util.Map;
import org.clprop.core.Network;
import org.clprop.model.ModelFile;

/** Run in a child JVM by {@link KillDuringSaveTest}: saves models to one file over and over until killed. */
public final class SaveKillProbe {
  private SaveKillProbe() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    for (long i = 0; ; i++) {
      ModelFile.save(file, Network.initialise(new int[] {784, 128, 10}, i), Map.of("round", i));
      if (i == 0) {
        System.out.println("saving");
        System.out.flush();
      }
    }
  }
}
