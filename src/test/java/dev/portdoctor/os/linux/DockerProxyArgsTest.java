package dev.portdoctor.os.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerProxyArgsTest {

  /** docker/for-mac#670: {@code ps uax} lines; the command line starts at the fourth column. */
  @Test
  void parsesEveryRealProxyLine() {
    List<DockerProxyArgs> all = Fixtures.ownText("docker/proxy-ps-formac670.txt").lines()
        .map(l -> l.substring(l.indexOf("/usr/bin/docker-proxy")))
        .map(c -> DockerProxyArgs.parse(c).orElseThrow(() -> new AssertionError(c))).toList();
    assertEquals(5, all.size());
    assertEquals(new DockerProxyArgs("tcp", "0.0.0.0", 8080, "172.18.0.99", 80), all.get(0));
    assertEquals(new DockerProxyArgs("tcp", "0.0.0.0", 3336, "172.18.0.2", 3306), all.get(2));
    assertEquals("172.18.0.99:80/tcp", all.get(4).target());
    assertEquals(88, all.get(4).hostPort());
  }

  /** SYNTHETIC: Docker 28 adds -use-listen-fd (a flag without value) and may bind IPv6. */
  private static final String SYNTHETIC_USE_LISTEN_FD = "/usr/bin/docker-proxy -proto udp -host-ip :: -host-port 5353"
      + " -container-ip fd00::2 -container-port 53 -use-listen-fd";

  @Test
  void newerFlagsAndIpv6() {
    DockerProxyArgs a = DockerProxyArgs.parse(SYNTHETIC_USE_LISTEN_FD).orElseThrow();
    assertEquals(new DockerProxyArgs("udp", "::", 5353, "fd00::2", 53), a);
    assertEquals("[fd00::2]:53/udp", a.target());
  }

  @Test
  void incompleteOrMalformedIsEmpty() {
    assertTrue(DockerProxyArgs.parse("docker-proxy -proto tcp -host-port 8080").isEmpty());
    assertTrue(DockerProxyArgs.parse("docker-proxy -host-port 99999 -container-ip 1.2.3.4 -container-port 1").isEmpty());
    assertTrue(DockerProxyArgs.parse("docker-proxy -host-port 80 -container-ip 1.2.3.4 -container-port").isEmpty());
  }
}
