package dev.portdoctor.cli;

import dev.portdoctor.core.Connector;
import dev.portdoctor.core.Platform;
import dev.portdoctor.core.Sleeper;
import dev.portdoctor.os.jdk.SocketConnector;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * What {@code wait}, {@code free}, {@code who} and {@code --on} need besides the platform: time, TCP
 * connects, randomness, how many other network namespaces this host has (the hint of a {@code who}
 * that finds nothing), and how other hosts are reached. Tests pass a clock that does not sleep, a
 * scripted connector, a seeded random, no other namespaces when their platform is not this host's, and
 * a transport that replays captured answers.
 *
 * @param remoteTransport how {@code --on} reaches other hosts: a {@code dev.portdoctor.os.remote.Transport}
 *     (tests replay captured answers), or null for the system ssh client. Typed {@code Object} so that
 *     loading this record on the local path loads no class of the remote one.
 */
public record Environment(
    Sleeper sleeper,
    Connector connector,
    Supplier<Random> random,
    ToIntFunction<Platform> otherNamespaces,
    Object remoteTransport) {

  /** The host's own network namespaces, the system ssh client. */
  public Environment(Sleeper sleeper, Connector connector, Supplier<Random> random) {
    this(sleeper, connector, random, NamespaceSearch::others, null);
  }

  /** This environment with another way to reach remote hosts. */
  public Environment withRemoteTransport(Object transport) {
    return new Environment(sleeper, connector, random, otherNamespaces, transport);
  }

  /** The real clock, real connects, an unseeded random, the system ssh client. */
  public static Environment system() {
    return new Environment(Sleeper.SYSTEM, new SocketConnector(), Random::new);
  }
}
