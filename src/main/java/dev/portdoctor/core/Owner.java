package dev.portdoctor.core;

import java.util.Optional;

/**
 * A process that holds a socket, as the socket table names it. {@code nameHint} is what the source
 * itself printed (a {@code netstat -b} image name, an {@code ss} users field); details come from the
 * process source.
 */
public record Owner(long pid, Optional<String> nameHint) {
  public static Owner of(long pid) {
    return new Owner(pid, Optional.empty());
  }
}
