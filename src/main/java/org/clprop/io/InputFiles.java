package org.clprop.io;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Opens files that are read once, front to back, so that named pipes and {@code /dev/fd/N}
 * (a shell's {@code <(command)}) work as well as regular files: the stream of
 * {@code Files.newInputStream} asks its channel for the position and size, which a pipe refuses
 * ("illegal seek").
 */
public final class InputFiles {
  private InputFiles() {}

  /** A stream over {@code file}; failures carry the operating system's cause (see {@link IoErrors}). */
  public static InputStream open(Path file) throws IOException {
    return new FileInputStream(file.toFile());
  }
}
