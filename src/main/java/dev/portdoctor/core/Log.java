package dev.portdoctor.core;

import java.util.function.Supplier;

/**
 * Debug logging that costs nothing unless {@code --verbose} turned it on: slf4j (and its start-up) is
 * only touched once enabled. The level is process-wide, as slf4j-simple's is.
 */
public final class Log {
  private static volatile boolean debug;

  private Log() {}

  /** Turns debug logging on; call before the first message. */
  public static void enableDebug() {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    debug = true;
  }

  public static boolean isDebug() {
    return debug;
  }

  public static void debug(Class<?> where, Supplier<String> message) {
    if (debug) {
      org.slf4j.LoggerFactory.getLogger(where).debug(message.get());
    }
  }

  public static void debug(Class<?> where, String message, Throwable t) {
    if (debug) {
      org.slf4j.LoggerFactory.getLogger(where).debug(message, t);
    }
  }
}
