/**
 * The settings clprop reads from the process's environment rather than its arguments, in one
 * place: system properties ({@code -Dclprop...}) and, for those set from a shell, environment
 * variables, as the README's "Settings" table lists them. Internal throughout: users rely on the
 * property and variable names; {@link org.clprop.config.Settings} and its
 * {@link org.clprop.config.Settings.Key} are public for the library's own packages and tests, and
 * may change without notice.
 */
package org.clprop.config;
