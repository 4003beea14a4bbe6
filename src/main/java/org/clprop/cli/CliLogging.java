package org.clprop.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

/**
 * The command line's logging, set up in code when Logback starts (found through
 * META-INF/services): library lines to stderr as "LEVEL message", so that stdout carries only
 * results; the root at {@code clprop.log.level} (WARN, INFO under --verbose); the trainer's own
 * divergence line off, since the command reports divergence itself. Parsing the same as an XML file
 * cost a tenth of a second at every start. It acts only when {@link Main} asked for it
 * ({@code clprop.cli.logging}), so an application that embeds clprop keeps its own configuration.
 */
public final class CliLogging extends ContextAwareBase implements Configurator {
  static final String ENABLE = "clprop.cli.logging";
  static final String LEVEL = "clprop.log.level";

  @Override
  public ExecutionStatus configure(LoggerContext ctx) {
    if (!Boolean.getBoolean(ENABLE)) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%-5level %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(ctx);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getProperty(LEVEL), Level.WARN));
    root.addAppender(stderr);
    ctx.getLogger("org.clprop.Trainer").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
