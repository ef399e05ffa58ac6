package dev.portdoctor.os;

import dev.portdoctor.core.Log;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketQuery;
import dev.portdoctor.core.SocketSource;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --source auto}: the first source that answers, in order (the native one first, then the
 * commands). The one that answered is remembered for the rest of the run.
 */
public final class FallbackSocketSource implements SocketSource {
  private final List<SocketSource> sources;
  private SocketSource chosen;

  public FallbackSocketSource(List<SocketSource> sources) {
    this.sources = List.copyOf(sources);
  }

  @Override
  public String name() {
    return chosen != null ? chosen.name() : "auto";
  }

  @Override
  public List<SocketEntry> snapshot(SocketQuery query) {
    if (chosen != null) {
      return chosen.snapshot(query);
    }
    List<String> failures = new ArrayList<>();
    for (SocketSource s : sources) {
      try {
        List<SocketEntry> r = s.snapshot(query);
        chosen = s;
        Log.debug(FallbackSocketSource.class, () -> "socket table from " + s.name());
        return r;
      } catch (PortDoctorException e) {
        failures.add(s.name() + ": " + e.getMessage());
        Log.debug(FallbackSocketSource.class, () -> "source " + s.name() + " failed: " + e.getMessage());
      }
    }
    throw new PortDoctorException(PortDoctorException.INTERNAL,
        "no socket table could be read: " + String.join("; ", failures));
  }
}
