package dev.portdoctor.os.linux;

import dev.portdoctor.core.Endpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Parses {@code systemctl list-sockets} (with or without {@code --no-legend}, {@code --all},
 * {@code --show-types}): LISTEN, UNIT, ACTIVATES. The LISTEN value may hold a space
 * ({@code kobject-uevent 1}), so a row is split at its first word that ends in {@code .socket}, the unit.
 * Pure.
 */
public final class SystemdSocketsParser {
  private SystemdSocketsParser() {}

  /** The types {@code --show-types} prints between LISTEN and UNIT. */
  private static final Set<String> TYPES = Set.of("Stream", "Datagram", "SequentialPacket", "FIFO", "Special",
      "Netlink", "MessageQueue", "USBFunction");

  /** One socket of a socket unit. */
  public record Row(String listen, String unit, List<String> activates) {
    public Row {
      activates = List.copyOf(activates);
    }

    /** The network endpoint of {@code 127.0.2.1:53}, {@code [::]:22} or {@code 0.0.0.0:631}; empty for a path. */
    public Optional<Endpoint> endpoint() {
      String l = listen;
      int colon = l.lastIndexOf(':');
      if (colon <= 0 || l.startsWith("/") || l.startsWith("@")) {
        return Optional.empty();
      }
      String host = l.substring(0, colon);
      String port = l.substring(colon + 1);
      if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return Optional.empty();
      }
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      } else if (host.indexOf(':') >= 0) {
        return Optional.empty();
      }
      int p = Integer.parseInt(port);
      return p > 65535 || host.isEmpty() ? Optional.empty() : Optional.of(new Endpoint(host, p));
    }
  }

  public static List<Row> parse(String text) {
    List<Row> rows = new ArrayList<>();
    for (String line : text.split("\r?\n")) {
      String l = line.strip();
      if (l.isEmpty() || (l.startsWith("LISTEN") && l.contains("UNIT")) || l.endsWith("sockets listed.")
          || l.endsWith("socket listed.") || l.startsWith("Pass --all")) {
        continue;
      }
      List<String> words = Arrays.asList(l.split("\\s+"));
      int unit = -1;
      for (int i = 1; i < words.size(); i++) {
        if (words.get(i).endsWith(".socket")) {
          unit = i;
          break;
        }
      }
      if (unit < 0) {
        continue;
      }
      int listenEnd = unit;
      if (listenEnd > 1 && TYPES.contains(words.get(listenEnd - 1))) {
        listenEnd--;
      }
      List<String> activates = new ArrayList<>();
      for (String w : words.subList(unit + 1, words.size())) {
        for (String a : w.split(",")) {
          if (!a.isEmpty()) {
            activates.add(a);
          }
        }
      }
      rows.add(new Row(String.join(" ", words.subList(0, listenEnd)), words.get(unit), activates));
    }
    return rows;
  }
}
