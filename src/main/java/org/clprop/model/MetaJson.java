package org.clprop.model;

import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code meta.json} entry of model and checkpoint files, written and read with Gson's streaming
 * API. Values are numbers, strings, booleans, null, lists and objects; reading is linear in the
 * input and bounded in depth and string length, so a crafted file can neither hang nor overflow
 * the stack (the entry itself is bounded in size by {@link org.clprop.npy.Npz#MAX_OTHER}).
 */
final class MetaJson {
  /** Deepest nesting of objects and lists accepted; clprop writes at most two levels. */
  static final int MAX_DEPTH = 32;
  /** Longest string or name accepted, in characters: far above any class name. */
  static final int MAX_STRING = 1 << 16;

  private MetaJson() {}

  /** Pretty-printed JSON of {@code fields}; non-finite numbers become null, as JSON has no NaN. */
  static String write(Map<String, ?> fields) {
    StringWriter s = new StringWriter();
    try (JsonWriter w = new JsonWriter(s)) {
      w.setIndent("  ");
      value(w, fields);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return s.append('\n').toString();
  }

  private static void value(JsonWriter w, Object v) throws IOException {
    if (v == null) {
      w.nullValue();
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (!Double.isFinite(d)) {
        w.nullValue();
      } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        w.value((long) d);
      } else {
        w.value(d);
      }
    } else if (v instanceof Number n) {
      w.value(n);
    } else if (v instanceof Boolean b) {
      w.value(b);
    } else if (v instanceof int[] a) {
      w.beginArray();
      for (int x : a) {
        w.value(x);
      }
      w.endArray();
    } else if (v instanceof Iterable<?> list) {
      w.beginArray();
      for (Object x : list) {
        value(w, x);
      }
      w.endArray();
    } else if (v instanceof Map<?, ?> map) {
      w.beginObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        w.name(String.valueOf(e.getKey()));
        value(w, e.getValue());
      }
      w.endObject();
    } else {
      w.value(v.toString());
    }
  }

  /**
   * The object in {@code json}: strings, Doubles, Booleans, nulls, Lists and Maps (insertion
   * order). An empty text gives an empty map.
   *
   * @throws IllegalArgumentException when the text is not one JSON object, or nests too deep
   */
  static Map<String, Object> read(String json) {
    if (json.isBlank()) {
      return Map.of();
    }
    try (JsonReader r = new JsonReader(new StringReader(json))) {
      r.setStrictness(Strictness.STRICT);
      r.setNestingLimit(MAX_DEPTH);
      if (r.peek() != JsonToken.BEGIN_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) read(r);
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw new IllegalArgumentException("text after the JSON object");
      }
      return m;
    } catch (JsonParseException | IOException e) {
      // Gson adds a second line pointing at its troubleshooting guide; the first says what and where.
      String msg = String.valueOf(e.getMessage());
      throw new IllegalArgumentException(msg.lines().findFirst().orElse(msg), e);
    }
  }

  private static String bounded(JsonReader r, String s) {
    if (s.length() > MAX_STRING) {
      throw new IllegalArgumentException("a string of " + s.length() + " characters at " + r.getPath() + ", more than "
          + MAX_STRING);
    }
    return s;
  }

  private static Object read(JsonReader r) throws IOException {
    switch (r.peek()) {
      case BEGIN_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        r.beginObject();
        while (r.hasNext()) {
          m.put(bounded(r, r.nextName()), read(r));
        }
        r.endObject();
        return Collections.unmodifiableMap(m);
      }
      case BEGIN_ARRAY -> {
        List<Object> l = new ArrayList<>();
        r.beginArray();
        while (r.hasNext()) {
          l.add(read(r));
        }
        r.endArray();
        return Collections.unmodifiableList(l);
      }
      case STRING -> {
        return bounded(r, r.nextString());
      }
      case NUMBER -> {
        return r.nextDouble();
      }
      case BOOLEAN -> {
        return r.nextBoolean();
      }
      case NULL -> {
        r.nextNull();
        return null;
      }
      default -> throw new IllegalArgumentException("unexpected " + r.peek() + " at " + r.getPath());
    }
  }
}
