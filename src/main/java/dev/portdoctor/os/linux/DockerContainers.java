package dev.portdoctor.os.linux;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Docker Engine API's {@code GET /containers/json} answer (Podman's compatible API answers the same
 * shape), reduced to what names the container behind a published port. Pure: no I/O.
 */
public final class DockerContainers {
  private DockerContainers() {}

  /** A published or exposed port: {@code publicPort} is empty for a port that is only exposed. */
  public record PortBinding(String ip, int privatePort, Optional<Integer> publicPort, String type) {}

  /**
   * One container.
   *
   * @param name the first name, without Docker's leading {@code /}
   * @param ips the container's addresses on its networks
   */
  public record Container(String id, String name, String image, String state, List<PortBinding> ports,
      List<String> ips) {
    public Container {
      ports = List.copyOf(ports);
      ips = List.copyOf(ips);
    }

    /** The first 12 characters of the id, as {@code docker ps} shows it. */
    public String shortId() {
      return id.length() > 12 ? id.substring(0, 12) : id;
    }
  }

  /**
   * Parses the JSON array.
   *
   * @throws IOException when the text is not a JSON array of objects
   */
  public static List<Container> parse(String json) throws IOException {
    Object root = JSON.std.anyFrom(json);
    if (!(root instanceof List<?> list)) {
      throw new IOException("not a JSON array");
    }
    List<Container> out = new ArrayList<>(list.size());
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> c)) {
        continue;
      }
      String id = text(c.get("Id"));
      String name = "";
      if (c.get("Names") instanceof List<?> names && !names.isEmpty()) {
        name = text(names.get(0));
        if (name.startsWith("/")) {
          name = name.substring(1);
        }
      }
      List<PortBinding> ports = new ArrayList<>();
      if (c.get("Ports") instanceof List<?> ps) {
        for (Object p : ps) {
          if (p instanceof Map<?, ?> m && m.get("PrivatePort") instanceof Number priv) {
            Optional<Integer> pub = m.get("PublicPort") instanceof Number n ? Optional.of(n.intValue()) : Optional.empty();
            ports.add(new PortBinding(text(m.get("IP")), priv.intValue(), pub, text(m.get("Type"))));
          }
        }
      }
      List<String> ips = new ArrayList<>();
      if (c.get("NetworkSettings") instanceof Map<?, ?> ns && ns.get("Networks") instanceof Map<?, ?> nets) {
        for (Object n : nets.values()) {
          if (n instanceof Map<?, ?> net) {
            for (String key : List.of("IPAddress", "GlobalIPv6Address")) {
              String ip = text(net.get(key));
              if (!ip.isEmpty()) {
                ips.add(ip);
              }
            }
          }
        }
      }
      out.add(new Container(id, name, text(c.get("Image")), text(c.get("State")), ports, ips));
    }
    return out;
  }

  /**
   * The container that a docker-proxy forwards to: the one whose published port and protocol match, and
   * whose address is the proxy's target when both are known.
   */
  public static Optional<Container> forProxy(List<Container> containers, DockerProxyArgs proxy) {
    Optional<Container> byPort = Optional.empty();
    for (Container c : containers) {
      boolean published = c.ports().stream().anyMatch(p -> p.publicPort().orElse(-1) == proxy.hostPort()
          && p.privatePort() == proxy.containerPort() && (p.type().isEmpty() || p.type().equals(proxy.proto())));
      if (published && c.ips().contains(proxy.containerIp())) {
        return Optional.of(c);
      }
      if (published && byPort.isEmpty()) {
        byPort = Optional.of(c);
      }
    }
    if (byPort.isPresent()) {
      return byPort;
    }
    return containers.stream().filter(c -> c.ips().contains(proxy.containerIp())).findFirst();
  }

  /** The container that publishes this host port for this protocol ({@code tcp}, {@code udp}). */
  public static Optional<Container> publishing(List<Container> containers, int hostPort, String proto) {
    return containers.stream().filter(c -> c.ports().stream().anyMatch(p -> p.publicPort().orElse(-1) == hostPort
        && (p.type().isEmpty() || p.type().equals(proto)))).findFirst();
  }

  /** The container whose id starts with this (full or short) id. */
  public static Optional<Container> byId(List<Container> containers, String id) {
    return containers.stream().filter(c -> !id.isEmpty() && (c.id().startsWith(id) || id.startsWith(c.id())))
        .findFirst();
  }

  private static String text(Object o) {
    return o == null ? "" : o.toString();
  }
}
