package dev.portdoctor.core;

import java.time.Duration;
import java.util.Set;

/**
 * How {@code kill} ends the holders of a port.
 *
 * @param tree also end every descendant of each holder, deepest first
 * @param parent also end each holder's parent (a supervisor that would start it again)
 * @param signal the polite signal on Unix ({@code TERM}, {@code INT}, {@code HUP}...)
 * @param timeout how long to wait after the polite stop before forcing
 * @param grace how long to watch the port afterwards for a process that binds it again
 * @param force allow ending critical system processes and a container's port forwarder
 */
public record KillOptions(
    Set<Protocol> protocols, boolean tree, boolean parent, String signal, Duration timeout, Duration grace,
    boolean force) {

  public KillOptions {
    protocols = Set.copyOf(protocols);
  }
}
