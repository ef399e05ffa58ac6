package dev.portdoctor.os.linux;

import dev.portdoctor.core.ServiceUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /** A container named by a cgroup path: its runtime ({@code docker}, {@code podman}) and full id. */
  public record ContainerRef(String runtime, String id) {}

  /**
   * {@code /docker/ID} (cgroupfs driver), {@code docker-ID.scope} (systemd driver), {@code libpod-ID.scope}
   * (Podman): 64 hex digits.
   */
  private static final Pattern CONTAINER = Pattern.compile("/(docker|libpod)[-/]([0-9a-f]{64})(?:\\.scope)?(?:/|$)");

  /** The container the process runs in, seen from the host; empty for the host's own processes. */
  public static Optional<ContainerRef> container(String cgroupFile) {
    for (String line : cgroupFile.split("\n")) {
      int first = line.indexOf(':');
      int second = first < 0 ? -1 : line.indexOf(':', first + 1);
      if (second < 0) {
        continue;
      }
      Matcher m = CONTAINER.matcher(line.strip().substring(second + 1));
      if (m.find()) {
        return Optional.of(new ContainerRef(m.group(1).equals("libpod") ? "podman" : "docker", m.group(2)));
      }
    }
    return Optional.empty();
  }
}
