package dev.portdoctor.os.linux;

import java.util.List;
import java.util.Optional;

/**
 * The forwarding that a {@code docker-proxy} command line describes: {@code -proto tcp -host-ip 0.0.0.0
 * -host-port 8080 -container-ip 172.17.0.2 -container-port 80} (newer engines add {@code -use-listen-fd}).
 * Pure: parsed from the arguments alone, so it names the container's address even when the Engine API
 * cannot be reached.
 */
public record DockerProxyArgs(String proto, String hostIp, int hostPort, String containerIp, int containerPort) {

  /** The container side as {@code 172.17.0.2:80/tcp}. */
  public String target() {
    String ip = containerIp.indexOf(':') >= 0 ? "[" + containerIp + "]" : containerIp;
    return ip + ":" + containerPort + "/" + proto;
  }

  /** Parses the arguments (argv[0] included or not); empty when a required one is missing or malformed. */
  public static Optional<DockerProxyArgs> parse(List<String> argv) {
    String proto = null;
    String hostIp = null;
    String containerIp = null;
    int hostPort = -1;
    int containerPort = -1;
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      String flag = a.startsWith("--") ? a.substring(1) : a;
      String value = null;
      int eq = flag.indexOf('=');
      if (eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else if (i + 1 < argv.size()) {
        value = argv.get(i + 1);
      }
      if (value == null) {
        continue;
      }
      switch (flag) {
        case "-proto" -> proto = value;
        case "-host-ip" -> hostIp = value;
        case "-host-port" -> hostPort = port(value);
        case "-container-ip" -> containerIp = value;
        case "-container-port" -> containerPort = port(value);
        default -> {
          continue;
        }
      }
      if (eq < 0) {
        i++;
      }
    }
    if (containerIp == null || hostPort < 0 || containerPort < 0) {
      return Optional.empty();
    }
    return Optional.of(new DockerProxyArgs(proto == null ? "tcp" : proto, hostIp == null ? "0.0.0.0" : hostIp,
        hostPort, containerIp, containerPort));
  }

  /** Splits a command line joined by spaces (docker-proxy's arguments hold no spaces). */
  public static Optional<DockerProxyArgs> parse(String commandLine) {
    return parse(List.of(commandLine.strip().split("\\s+")));
  }

  private static int port(String s) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    int p = Integer.parseInt(s);
    return p <= 65535 ? p : -1;
  }
}
