package dev.portdoctor.os.linux;

import dev.portdoctor.core.ServiceUnit;
import java.util.Optional;

/**
 * Finds the systemd service of a process in {@code /proc/PID/cgroup}. cgroup v2 has one line
 * {@code 0::/system.slice/nginx.service}; v1 has one line per hierarchy, of which
 * {@code N:name=systemd:/system.slice/nginx.service} is systemd's. The innermost {@code .service} on the
 * path is the unit; one under {@code user@UID.service} belongs to that user's manager. Scopes (login
 * sessions, containers) are not services and give no unit.
 */
public final class CgroupParser {
  private CgroupParser() {}

  public static Optional<ServiceUnit> unit(String cgroupFile) {
    String path = null;
    for (String line : cgroupFile.split("\n")) {
      String l = line.strip();
      int first = l.indexOf(':');
      int second = first < 0 ? -1 : l.indexOf(':', first + 1);
      if (second < 0) {
        continue;
      }
      String controllers = l.substring(first + 1, second);
      String p = l.substring(second + 1);
      if (controllers.isEmpty() || controllers.equals("name=systemd")) {
        path = p; // v2's unified line, or v1's systemd hierarchy
        if (controllers.equals("name=systemd")) {
          break;
        }
      }
    }
    if (path == null) {
      return Optional.empty();
    }
    String[] parts = path.split("/");
    boolean user = false;
    String unit = null;
    for (String part : parts) {
      if (part.startsWith("user@") && part.endsWith(".service")) {
        user = true; // the user's manager itself; a unit under it is the user's
        continue;
      }
      if (part.endsWith(".service") || part.endsWith(".socket")) {
        unit = part;
      }
    }
    return unit == null ? Optional.empty() : Optional.of(new ServiceUnit(unit, user));
  }
}
