package dev.portdoctor.os.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.PortDoctorException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class HostSpecTest {
  @Test
  void userHostAndPort() {
    HostSpec h = HostSpec.parse("deploy@web-3.example.com:2222");
    assertEquals(Optional.of("deploy"), h.user());
    assertEquals("web-3.example.com", h.host());
    assertEquals(OptionalInt.of(2222), h.port());
    assertEquals("deploy@web-3.example.com", h.destination());
    assertEquals(List.of("ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=7", "-p", "2222", "deploy@web-3.example.com",
        "--", "sh", "-s"), new SshTransport("ssh", Optional.empty(), 7).argv(h, List.of("sh", "-s")));
  }

  @Test
  void ipv6WithAndWithoutPort() {
    assertEquals("::1", HostSpec.parse("[::1]:2222").host());
    assertEquals(OptionalInt.of(2222), HostSpec.parse("[::1]:2222").port());
    assertEquals("fe80::1%eth0", HostSpec.parse("root@fe80::1%eth0").host());
    assertEquals(OptionalInt.empty(), HostSpec.parse("fe80::1").port());
  }

  @Test
  void listsAreCommaSeparated() {
    assertEquals(List.of("a", "b", "root@c:22"), HostSpec.parseList("a,b,root@c:22").stream().map(HostSpec::name).toList());
    assertThrows(PortDoctorException.class, () -> HostSpec.parseList("a,,b"));
  }

  @Test
  void nothingThatSshWouldReadAsAnOptionOrAShellCouldSplit() {
    for (String bad : List.of("-oProxyCommand=touch /tmp/x", "-p", "a b", "a\tb", "a\nb", "web;id", "web$(id)", "web`id`",
        "us er@host", "-l@host", "host:99999", "host:", "[::1", "a|b", "a\u0085b", "a\u001b[31mb")) {
      PortDoctorException e = assertThrows(PortDoctorException.class, () -> HostSpec.parse(bad), bad);
      assertEquals(2, e.exitCode(), bad);
      assertTrue(e.getMessage().startsWith("invalid "), e.getMessage());
      assertTrue(e.getMessage().chars().noneMatch(c -> c < ' '), "the message itself is printable: " + e.getMessage());
    }
  }
}
