package dev.portdoctor.cli;

import dev.portdoctor.core.Connector;
import dev.portdoctor.core.Sleeper;
import dev.portdoctor.os.jdk.SocketConnector;
import java.util.Random;
import java.util.function.Supplier;

/**
 * What {@code wait} and {@code free} need besides the platform: time, TCP connects, and randomness.
 * Tests pass a clock that does not sleep, a scripted connector and a seeded random.
 *
 * @param remoteTransport how {@code --on} reaches other hosts: a {@code dev.portdoctor.os.remote.Transport}
 *     (tests replay captured answers), or null for the system ssh client. Typed {@code Object} so that
 *     loading this record on the local path loads no class of the remote one.
 */
public record Environment(Sleeper sleeper, Connector connector, Supplier<Random> random, Object remoteTransport) {

  public Environment(Sleeper sleeper, Connector connector, Supplier<Random> random) {
    this(sleeper, connector, random, null);
  }

  /** The real clock, real connects, an unseeded random, the system ssh client. */
  public static Environment system() {
    return new Environment(Sleeper.SYSTEM, new SocketConnector(), Random::new, null);
  }
}
