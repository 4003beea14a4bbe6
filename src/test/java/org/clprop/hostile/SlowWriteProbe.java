package org.clprop.hostile;

import java.io.IOException;
import java.nio.file.Path;
import org.clprop.io.AtomicFiles;

/**
 * A child process for {@link TempFilePropertyTest}: writes a file of 200 blocks of 4 KiB through
 * {@link AtomicFiles}, slowly, so that a signal lands mid-write; with "fail", the writer fails
 * halfway. Prints "writing" when the temporary file exists.
 */
public final class SlowWriteProbe {
  static final int BLOCKS = 200;
  static final int BLOCK = 4096;

  private SlowWriteProbe() {}

  public static void main(String[] args) throws Exception {
    Path target = Path.of(args[0]);
    boolean fail = args.length > 1 && args[1].equals("fail");
    try {
      AtomicFiles.write(target, out -> {
        System.out.println("writing");
        System.out.flush();
        byte[] block = new byte[BLOCK];
        java.util.Arrays.fill(block, (byte) 'n');
        for (int i = 0; i < BLOCKS; i++) {
          if (fail && i == BLOCKS / 2) {
            throw new IOException("the source of the content failed");
          }
          out.write(block);
          out.flush();
          sleep();
        }
      });
    } catch (IOException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(4);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
