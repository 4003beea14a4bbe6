package org.clprop.cli;

import org.clprop.config.Settings;
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
 * results; the root at {@link Settings#LOG_LEVEL} (WARN, INFO under --verbose); the trainer's own
 * divergence line off, since the command reports divergence itself. Parsing the same as an XML file
 * cost a tenth of a second at every start. It acts only when {@link Main} asked for it
 * ({@link Settings#CLI_LOGGING}), so an application that embeds clprop keeps its own configuration.
 */
public final class CliLogging extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext ctx) {
    if (!Settings.isTrue(Settings.CLI_LOGGING)) {
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
    root.setLevel(Level.toLevel(Settings.get(Settings.LOG_LEVEL), Level.WARN));
    root.addAppender(stderr);
    ctx.getLogger("org.clprop.Trainer").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
