package dev.portdoctor.cli;

import dev.portdoctor.core.Ipv6Text;
import dev.portdoctor.core.PortDoctorException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Turns {@code --host} values into IP literals: a literal stays as it is, a name gives all its addresses. */
final class Hosts {
  private Hosts() {}

  /**
   * The --host values resolved (a bad one is a usage error before the OS is touched), or the addresses
   * a server binds when none is given.
   */
  static List<String> addressesOrDefault(String[] hosts, java.util.function.Supplier<dev.portdoctor.core.PortDoctor> doctor) {
    return hosts.length > 0 ? resolve(List.of(hosts)) : doctor.get().defaultAddresses();
  }

  /**
   * The --host values of a check on another host: IP literals only (a name would be resolved here, not
   * there), written as people write them.
   */
  static List<String> literals(String[] hosts) {
    List<String> out = new ArrayList<>();
    for (String h : hosts) {
      String host = h.strip();
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      boolean chars = !host.isEmpty() && host.length() <= 64 && host.chars().allMatch(c -> (c >= '0' && c <= '9')
          || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':');
      boolean v4 = chars && host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
      if (!chars || (!v4 && host.indexOf(':') < 0)) {
        throw PortDoctorException.usage("invalid --host '" + h + "' with --on: expected an IP address of that host"
            + " (a name would be resolved here, not there)");
      }
      try {
        out.add(literal(InetAddress.getByName(host))); // a literal: no lookup happens
      } catch (UnknownHostException e) {
        throw PortDoctorException.usage("invalid --host '" + h + "': not an IP address");
      }
    }
    return out;
  }

  static List<String> resolve(List<String> hosts) {
    Set<String> out = new LinkedHashSet<>();
    for (String h : hosts) {
      String host = h.strip();
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '\\')) {
        throw PortDoctorException.usage("invalid --host '" + h + "': expected an IP address or a host name");
      }
      try {
        for (InetAddress a : InetAddress.getAllByName(host)) {
          out.add(literal(a));
        }
      } catch (UnknownHostException | SecurityException e) {
        throw PortDoctorException.usage("invalid --host '" + h + "': not an IP address, and no such host name");
      }
    }
    return new ArrayList<>(out);
  }

  /** {@code 127.0.0.1}, or IPv6 as people write it ({@code ::1}, not the JDK's {@code 0:0:0:0:0:0:0:1}). */
  static String literal(InetAddress a) {
    if (a instanceof Inet6Address v6) {
      String zone = v6.getScopedInterface() != null ? "%" + v6.getScopedInterface().getName()
          : v6.getScopeId() != 0 ? "%" + v6.getScopeId() : "";
      return Ipv6Text.format(a.getAddress()) + zone;
    }
    return a.getHostAddress();
  }
}
