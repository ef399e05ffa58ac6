package dev.portdoctor.cli;

import dev.portdoctor.core.Connector;
import dev.portdoctor.core.Platform;
import dev.portdoctor.core.Sleeper;
import dev.portdoctor.os.jdk.SocketConnector;
import java.util.Random;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * What {@code wait}, {@code free} and {@code who} need besides the platform: time, TCP connects,
 * randomness, and how many other network namespaces this host has (the hint of a {@code who} that
 * finds nothing). Tests pass a clock that does not sleep, a scripted connector, a seeded random, and
 * no other namespaces when their platform is not this host's.
 */
public record Environment(
    Sleeper sleeper, Connector connector, Supplier<Random> random, ToIntFunction<Platform> otherNamespaces) {

  /** The host's own network namespaces. */
  public Environment(Sleeper sleeper, Connector connector, Supplier<Random> random) {
    this(sleeper, connector, random, NamespaceSearch::others);
  }

  /** The real clock, real connects, an unseeded random. */
  public static Environment system() {
    return new Environment(Sleeper.SYSTEM, new SocketConnector(), Random::new);
  }
}
