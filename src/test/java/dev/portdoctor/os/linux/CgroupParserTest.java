package dev.portdoctor.os.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portdoctor.core.ServiceUnit;
import dev.portdoctor.os.linux.CgroupParser.ContainerRef;
import dev.portdoctor.testkit.Fixtures;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** CgroupParser on real /proc/PID/cgroup texts (v1, v2, hybrid; services, user units, scopes, containers). */
class CgroupParserTest {
  private static String f(String name) {
    return Fixtures.ownText("cgroup/" + name);
  }

  @Test
  void systemServiceOnV2() {
    assertEquals(Optional.of(new ServiceUnit("nginx.service", false)), CgroupParser.unit(f("v2-nginx-service-laurel228.txt")));
    assertEquals(Optional.empty(), CgroupParser.container(f("v2-nginx-service-laurel228.txt")));
  }

  @Test
  void userUnitOnHybrid() {
    assertEquals(Optional.of(new ServiceUnit("gnome-terminal-server.service", true)),
        CgroupParser.unit(f("v1v2-user-service-webkit.txt")));
  }

  @Test
  void scopesAreNoUnits() {
    assertEquals(Optional.empty(), CgroupParser.unit(f("v1v2-session-scope-systemd4602.txt")));
    assertEquals(Optional.empty(), CgroupParser.unit(f("v1v2-init-scope-atop284.txt")));
    assertEquals(Optional.empty(), CgroupParser.container(f("v1v2-init-scope-atop284.txt")));
  }

  @Test
  void dockerContainers() {
    assertEquals(Optional.of(new ContainerRef("docker", "ff90ed5efd657539ce42198e0d61661d62f2a5d8de9439e2aeb046fb1ef4e0af")),
        CgroupParser.container(f("v1-docker-htop1036.txt")));
    assertEquals(Optional.of(new ContainerRef("docker", "b508e2673897c4f521d858f56dab18e31ddbfc1f83300fb9793c8a4052af8f05")),
        CgroupParser.container(f("v2-docker-scope-procs236.txt")));
    assertEquals(Optional.of(new ContainerRef("docker", "b33dda97580e721a69fa81742190341f858ea809ec4a9d74a8cfd411b0ee7c26")),
        CgroupParser.container(f("v1-docker-scope-containerd285.txt")));
    String ctr = f("v1-docker-containerd-ctrsploit280.txt");
    assertEquals("2403ccfe427f1dc7b6120dccb9ac58c2f8456950380d587a9f33ea7f00dd303d", CgroupParser.container(ctr).orElseThrow().id());
    // systemd's own hierarchy names the container, not the containerd.service of the unified line
    assertEquals(Optional.empty(), CgroupParser.unit(ctr));
    assertEquals(Optional.empty(), CgroupParser.unit(f("v2-docker-scope-procs236.txt")));
  }

  /** SYNTHETIC: Podman's scope name for a container. */
  private static final String SYNTHETIC_PODMAN = "0::/machine.slice/libpod-" + "a".repeat(64) + ".scope/container\n";

  @Test
  void podmanScope() {
    assertEquals(Optional.of(new ContainerRef("podman", "a".repeat(64))), CgroupParser.container(SYNTHETIC_PODMAN));
  }
}
