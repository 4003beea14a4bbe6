/**
 * File plumbing shared by the other packages: atomic writes ({@link org.clprop.io.AtomicFiles})
 * and the cache folder ({@link org.clprop.io.CacheDir}). Internal throughout: public only for the
 * library's own packages; may change without notice.
 */
package org.clprop.io;
