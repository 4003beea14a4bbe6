package org.clprop.spark.app;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} pairs of an application's arguments, with defaults and one-line errors. */
final class Options {
  private final Map<String, String> values = new LinkedHashMap<>();

  Options(String[] args, String usage, String... names) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        System.out.println(usage);
        System.exit(0);
      }
      String name = a.startsWith("--") ? a.substring(2) : null;
      if (name == null || !java.util.List.of(names).contains(name) || i + 1 == args.length) {
        throw new IllegalArgumentException("unknown option or missing value: '" + a + "'\n" + usage);
      }
      values.put(name, args[++i]);
    }
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  int integer(String name, int fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": '" + v + "' is not an integer");
    }
  }

  double number(String name, double fallback) {
    String v = values.get(name);
    try {
      return v == null ? fallback : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": '" + v + "' is not a number");
    }
  }

  /** A comma-separated list of positive integers, such as 784,128,10. */
  int[] sizes(String name, String fallback) {
    String v = values.getOrDefault(name, fallback);
    try {
      return java.util.Arrays.stream(v.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": '" + v + "' is not a list of integers such as 784,128,10");
    }
  }
}
