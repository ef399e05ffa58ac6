package dev.portdoctor.os.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.FakeDockerEngine;
import dev.portdoctor.testkit.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API client against a fake engine on a unix socket that serves real captured container lists. */
class DockerEngineClientTest {
  @TempDir
  Path dir;

  @Test
  void plainHttp10RequestAndAnswer() {
    String body = Fixtures.ownText("docker/containers-json-compose-20.10.2.json");
    try (FakeDockerEngine engine = new FakeDockerEngine(dir.resolve("docker.sock"), FakeDockerEngine.ok(body))) {
      var cs = new DockerEngineClient(engine.socket(), Duration.ofSeconds(2)).containers().orElseThrow();
      assertEquals(2, cs.size());
      assertTrue(engine.requests.get(0).startsWith("GET /containers/json HTTP/1.0\r\n"), engine.requests::toString);
    }
  }

  @Test
  void chunkedAnswer() {
    String body = Fixtures.ownText("docker/containers-json-desktop-2025.json");
    try (FakeDockerEngine engine = new FakeDockerEngine(dir.resolve("d.sock"), FakeDockerEngine.chunked(body, 1000))) {
      var cs = new DockerEngineClient(engine.socket(), Duration.ofSeconds(2)).containers().orElseThrow();
      assertEquals("mariadb", cs.get(1).name());
    }
  }

  @Test
  void aHungEngineCostsOnlyTheTimeout() {
    try (FakeDockerEngine engine = new FakeDockerEngine(dir.resolve("hung.sock"), null)) {
      long t0 = System.nanoTime();
      assertTrue(new DockerEngineClient(engine.socket(), Duration.ofMillis(300)).containers().isEmpty());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 3000, "took " + ms + " ms");
    }
  }

  @Test
  void absentSocketOrErrorStatusIsEmpty() {
    assertTrue(new DockerEngineClient(dir.resolve("none.sock"), Duration.ofSeconds(1)).containers().isEmpty());
    byte[] notFound = "HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\n\r\n{\"message\":\"page not found\"}\n"
        .getBytes(StandardCharsets.US_ASCII);
    try (FakeDockerEngine engine = new FakeDockerEngine(dir.resolve("e.sock"), notFound)) {
      assertTrue(new DockerEngineClient(engine.socket(), Duration.ofSeconds(1)).containers().isEmpty());
    }
  }
}
