package dev.portdoctor.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The {@code free} use case: ports a server can bind now, each confirmed by a trial bind on every
 * address (not merely absent from a socket table). Candidates are tried in random order, so that two
 * scripts that ask at the same moment are unlikely to get the same port.
 */
public final class FreeFinder {
  /** Ports below this are the well-known ones, often privileged. */
  public static final int FIRST_UNPRIVILEGED = 1024;

  private final PortDoctor doctor;

  public FreeFinder(PortDoctor doctor) {
    this.doctor = doctor;
  }

  /**
   * @param addresses where to trial-bind; every one must be free
   * @param ports the candidates the user named; empty for the default (1024-65535 outside the OS's
   *     ephemeral range)
   */
  public record Options(Protocol protocol, List<String> addresses, int count, Optional<PortSet> ports) {
    public Options {
      addresses = List.copyOf(addresses);
      if (count < 1) {
        throw PortDoctorException.usage("invalid --count '" + count + "': expected 1 or more");
      }
    }
  }

  public FreeResult find(Options options, Random random) {
    List<FreeResult.Avoided> avoided = new ArrayList<>();
    List<Integer> candidates;
    if (options.ports().isPresent()) {
      candidates = options.ports().get().toList();
    } else {
      avoided.add(new FreeResult.Avoided(new PortRange(1, FIRST_UNPRIVILEGED - 1), "well-known"));
      Optional<PortRange> ephemeral = doctor.platform().facts().ephemeralPortRange();
      ephemeral.ifPresent(r -> avoided.add(new FreeResult.Avoided(r, "ephemeral")));
      candidates = new ArrayList<>();
      for (int p = FIRST_UNPRIVILEGED; p <= PortSet.MAX_PORT; p++) {
        if (ephemeral.isEmpty() || !ephemeral.get().contains(p)) {
          candidates.add(p);
        }
      }
    }
    String searched = candidates.isEmpty() ? "" : PortSet.of(candidates.stream().mapToInt(Integer::intValue).toArray()).toString();
    List<Integer> order = new ArrayList<>(candidates);
    Collections.shuffle(order, random);
    List<Integer> found = new ArrayList<>();
    int tried = 0;
    for (int port : order) {
      if (found.size() >= options.count()) {
        break;
      }
      tried++;
      if (bindsEverywhere(options.protocol(), options.addresses(), port)) {
        found.add(port);
      }
    }
    return new FreeResult(options.protocol(), options.addresses(), searched, avoided, options.count(), found, tried);
  }

  /**
   * Without SO_REUSEADDR: a port that only lingering TIME_WAIT connections use is free for most servers
   * but not for all, and a port handed to a script should work for any server.
   */
  private boolean bindsEverywhere(Protocol protocol, List<String> addresses, int port) {
    for (String address : addresses) {
      if (doctor.platform().probe().probe(protocol, address, port, false).outcome() != BindOutcome.FREE) {
        return false;
      }
    }
    return true;
  }
}
