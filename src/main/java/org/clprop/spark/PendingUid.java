package org.clprop.spark;

import org.apache.spark.ml.util.Identifiable$;

/**
 * Gives a Java subclass of a Spark ML class its uid before Spark's constructors need it. Spark's
 * shared params (featuresCol, ...) are created in the Scala superclass's constructor and record
 * the owner's uid then, before a Java constructor body could set a field; so the subclass's
 * {@code uid()} takes it from here on first call: a uid passed to its constructor (see
 * {@link #of}) or a fresh random one.
 */
final class PendingUid {
  private static final ThreadLocal<String> NEXT = new ThreadLocal<>();
  static final PendingUid TOKEN = new PendingUid();

  private PendingUid() {}

  /** Stores {@code uid} for the constructor about to run on this thread; pass the token to it. */
  static PendingUid of(String uid) {
    NEXT.set(uid);
    return TOKEN;
  }

  /** The uid stored by {@link #of}, or a new random one with {@code prefix}. */
  static String take(String prefix) {
    String uid = NEXT.get();
    NEXT.remove();
    return uid != null ? uid : Identifiable$.MODULE$.randomUID(prefix);
  }
}
