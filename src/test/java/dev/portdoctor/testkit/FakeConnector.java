package dev.portdoctor.testkit;

import dev.portdoctor.core.ConnectResult;
import dev.portdoctor.core.Connector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scripted connects: an address refuses until the test says it accepts ({@link #acceptsFrom}); each
 * connect is recorded as {@code "ADDR PORT"}.
 */
public final class FakeConnector implements Connector {
  private final Map<String, Integer> acceptFrom = new HashMap<>();
  private final Map<String, Integer> counts = new HashMap<>();
  public final List<String> calls = new ArrayList<>();

  /** From its {@code n}th connect on (1-based), {@code address} accepts. */
  public FakeConnector acceptsFrom(String address, int n) {
    acceptFrom.put(address, n);
    return this;
  }

  @Override
  public ConnectResult connect(String address, int port, Duration timeout) {
    calls.add(address + " " + port);
    int n = counts.merge(address, 1, Integer::sum);
    Integer from = acceptFrom.get(address);
    if (from != null && n >= from) {
      return new ConnectResult(address, port, ConnectResult.Outcome.CONNECTED, Optional.empty());
    }
    return new ConnectResult(address, port, ConnectResult.Outcome.REFUSED, Optional.of("Connection refused"));
  }
}
