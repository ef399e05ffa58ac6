package dev.portdoctor.os.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.os.linux.DockerContainers.Container;
import dev.portdoctor.testkit.Fixtures;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerContainersTest {

  @Test
  void engineCompactJson() throws IOException {
    List<Container> cs = DockerContainers.parse(Fixtures.ownText("docker/containers-json-compose-20.10.2.json"));
    assertEquals(2, cs.size());
    Container web1 = cs.get(0);
    assertEquals("dockercompose_web-1_1", web1.name());
    assertEquals("5c00f102a174", web1.shortId());
    assertEquals("nginx:laster", web1.image());
    assertEquals("running", web1.state());
    assertEquals(List.of("172.18.0.3"), web1.ips());
    assertEquals(new DockerContainers.PortBinding("0.0.0.0", 80, Optional.of(8080), "tcp"), web1.ports().get(0));
    assertEquals("dockercompose_web-2_1", DockerContainers.publishing(cs, 8081, "tcp").orElseThrow().name());
    assertTrue(DockerContainers.publishing(cs, 8081, "udp").isEmpty());
  }

  @Test
  void newerEngineFieldsAndExposedOnlyPorts() throws IOException {
    List<Container> cs = DockerContainers.parse(Fixtures.ownText("docker/containers-json-desktop-2025.json"));
    assertEquals(List.of("web", "mariadb"), cs.stream().map(Container::name).toList());
    Container web = cs.get(0);
    assertEquals(2, web.ports().size());
    assertEquals(Optional.empty(), web.ports().get(1).publicPort(), "9000/tcp is exposed, not published");
    assertEquals("mariadb", DockerContainers.publishing(cs, 3306, "tcp").orElseThrow().name());
    assertTrue(DockerContainers.publishing(cs, 9000, "tcp").isEmpty());
    assertEquals("web", DockerContainers.byId(cs, "821fbd6a43fa").orElseThrow().name());
  }

  @Test
  void prettyPrintedByJq() throws IOException {
    List<Container> cs = DockerContainers.parse(Fixtures.ownText("docker/containers-json-dockerdashphp-jq.json"));
    assertEquals("docker-php-admin", cs.get(0).name());
    assertEquals(List.of("172.17.0.2"), cs.get(0).ips());
  }

  @Test
  void proxyMatchesByPublishedPortAndTargetAddress() throws IOException {
    List<Container> cs = DockerContainers.parse(Fixtures.ownText("docker/containers-json-compose-20.10.2.json"));
    // SYNTHETIC: the proxy line the engine of that capture would have started for web-2 (8081 -> 172.18.0.2:80)
    DockerProxyArgs synthetic = new DockerProxyArgs("tcp", "0.0.0.0", 8081, "172.18.0.2", 80);
    assertEquals("dockercompose_web-2_1", DockerContainers.forProxy(cs, synthetic).orElseThrow().name());
    // the real for-mac#670 line (8080 -> 172.18.0.99:80) comes from another machine: the port still names web-1
    DockerProxyArgs real = DockerProxyArgs.parse(Fixtures.ownText("docker/proxy-ps-formac670.txt").lines().findFirst()
        .orElseThrow().substring(21)).orElseThrow();
    assertEquals("dockercompose_web-1_1", DockerContainers.forProxy(cs, real).orElseThrow().name());
    assertTrue(DockerContainers.forProxy(cs, new DockerProxyArgs("tcp", "0.0.0.0", 9999, "10.0.0.9", 1)).isEmpty());
  }

  @Test
  void notAnArray() {
    assertThrows(IOException.class, () -> DockerContainers.parse("{\"message\":\"page not found\"}"));
    assertThrows(IOException.class, () -> DockerContainers.parse("<html>"));
  }
}
