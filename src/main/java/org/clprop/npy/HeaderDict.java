package org.clprop.npy;

import org.clprop.io.DataFormatException;

/**
 * The values of the Python dict literal in a .npy header ({@code {'descr': '<f4', 'fortran_order':
 * False, 'shape': (3, 4), }}), found by a scan that is linear in the header: each key's first
 * occurrence, a colon, then the value.
 */
final class HeaderDict {
  private HeaderDict() {}

  /** The quoted string value of {@code key}. */
  static String string(String header, String key, String name) {
    int at = value(header, key, name);
    int end = at < header.length() && header.charAt(at) == '\'' ? header.indexOf('\'', at + 1) : -1;
    if (end < 0) {
      throw malformed(header, key, name);
    }
    return header.substring(at + 1, end);
  }

  /** The True or False value of {@code key}. */
  static boolean bool(String header, String key, String name) {
    int at = value(header, key, name);
    if (header.startsWith("True", at)) {
      return true;
    }
    if (header.startsWith("False", at)) {
      return false;
    }
    throw malformed(header, key, name);
  }

  /** The text between the parentheses of the tuple value of {@code key}. */
  static String tuple(String header, String key, String name) {
    int at = value(header, key, name);
    int end = at < header.length() && header.charAt(at) == '(' ? header.indexOf(')', at + 1) : -1;
    if (end < 0) {
      throw malformed(header, key, name);
    }
    return header.substring(at + 1, end);
  }

  /** Where the value of {@code key} starts: after the quoted key, blanks, a colon and blanks. */
  private static int value(String header, String key, String name) {
    int k = header.indexOf("'" + key + "'");
    if (k < 0) {
      throw new DataFormatException(name + ": .npy header has no '" + key + "' (header: " + shorten(header) + ")");
    }
    int i = blanks(header, k + key.length() + 2);
    if (i >= header.length() || header.charAt(i) != ':') {
      throw malformed(header, key, name);
    }
    return blanks(header, i + 1);
  }

  private static int blanks(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static DataFormatException malformed(String header, String key, String name) {
    return new DataFormatException(name + ": .npy header's '" + key + "' has no value of its type (header: "
        + shorten(header) + ")");
  }

  private static String shorten(String header) {
    String h = header.strip();
    return h.length() > 200 ? h.substring(0, 197) + "..." : h;
  }
}
