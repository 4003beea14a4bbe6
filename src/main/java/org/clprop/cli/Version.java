package org.clprop.cli;

import org.clprop.model.ModelFile;
import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, or "development" when run from classes. */
final class Version implements IVersionProvider {
  static String get() {
    return ModelFile.version();
  }

  @Override
  public String[] getVersion() {
    return new String[] {"clprop " + get()};
  }
}
