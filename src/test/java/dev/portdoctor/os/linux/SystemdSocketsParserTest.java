package dev.portdoctor.os.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.os.linux.SystemdSocketsParser.Row;
import dev.portdoctor.testkit.Fixtures;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SystemdSocketsParserTest {

  @Test
  void networkSocketOfSocketActivation() {
    List<Row> rows = SystemdSocketsParser.parse(Fixtures.ownText("systemd/list-sockets-dnscrypt.txt"));
    assertEquals(14, rows.size());
    Row dns = rows.get(11);
    assertEquals(new Row("127.0.2.1:53", "dnscrypt-proxy.socket", List.of("dnscrypt-proxy.service")), dns);
    assertEquals(Optional.of(new Endpoint("127.0.2.1", 53)), dns.endpoint());
    Row uevent = rows.get(13);
    assertEquals("kobject-uevent 1", uevent.listen(), "a LISTEN value with a space");
    assertEquals("systemd-udevd-kernel.socket", uevent.unit());
    assertTrue(uevent.endpoint().isEmpty());
    assertTrue(rows.get(0).endpoint().isEmpty(), "/dev/rfkill is a path");
  }

  @Test
  void legendLinesAreSkipped() {
    List<Row> rows = SystemdSocketsParser.parse(Fixtures.ownText("systemd/list-sockets-crostini.txt"));
    assertEquals(7, rows.size());
    assertEquals("dbus.socket", rows.get(5).unit());
  }

  /** SYNTHETIC: --no-legend --show-types rows with IPv6 and a socket that activates two units. */
  private static final String SYNTHETIC_TYPES = "[::]:22        Stream   sshd.socket   sshd@0.service\n"
      + "0.0.0.0:631    Stream   cups.socket   cups.service, cups-browsed.service\n"
      + "[::1]:9090     Stream   cockpit.socket\n";

  @Test
  void typesIpv6AndSeveralActivated() {
    List<Row> rows = SystemdSocketsParser.parse(SYNTHETIC_TYPES);
    assertEquals(Optional.of(new Endpoint("::", 22)), rows.get(0).endpoint());
    assertEquals(List.of("cups.service", "cups-browsed.service"), rows.get(1).activates());
    assertEquals(List.of(), rows.get(2).activates());
    assertEquals(Optional.of(new Endpoint("::1", 9090)), rows.get(2).endpoint());
  }
}
