package dev.portdoctor.core;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What is known about one process. Text fields are raw (untrusted) text: renderers escape them.
 *
 * @param name the short name (Linux: the executable's file name, else the kernel's {@code comm})
 * @param commandLine the full command line, arguments separated by spaces
 */
public record ProcessInfo(
    long pid,
    OptionalLong parentPid,
    String name,
    Optional<String> executable,
    Optional<String> commandLine,
    Optional<String> user,
    OptionalInt uid,
    Optional<Instant> startTime) {

  /** A process of which only the PID is known. */
  public static ProcessInfo unknown(long pid) {
    return new ProcessInfo(
        pid, OptionalLong.empty(), "?", Optional.empty(), Optional.empty(), Optional.empty(),
        OptionalInt.empty(), Optional.empty());
  }
}
