package dev.portdoctor.cli;

import dev.portdoctor.core.Connector;
import dev.portdoctor.core.Sleeper;
import dev.portdoctor.os.jdk.SocketConnector;
import java.util.Random;
import java.util.function.Supplier;

/**
 * What {@code wait} and {@code free} need besides the platform: time, TCP connects, and randomness.
 * Tests pass a clock that does not sleep, a scripted connector and a seeded random.
 */
public record Environment(Sleeper sleeper, Connector connector, Supplier<Random> random) {

  /** The real clock, real connects, an unseeded random. */
  public static Environment system() {
    return new Environment(Sleeper.SYSTEM, new SocketConnector(), Random::new);
  }
}
