package dev.portdoctor.os.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class LinuxSystemFactsTest {

  /** cat reads sysctl files in one read; the JDK's Files.readString does not (it got "1" for 1024). */
  @Test
  void unprivilegedPortStartMatchesCat() throws Exception {
    Process p = new ProcessBuilder("cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start").start();
    String expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    assertEquals(0, p.waitFor());
    assertEquals(Integer.parseInt(expected),
        new LinuxSystemFacts(Path.of("/proc")).unprivilegedPortStart().getAsInt());
  }

  @Test
  void rootnessMatchesTheProcessUid() throws Exception {
    Process p = new ProcessBuilder("id", "-u").start();
    String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    p.waitFor();
    assertEquals(uid.equals("0"), new LinuxSystemFacts(Path.of("/proc")).isRoot());
  }

  /** ip_local_port_range is a sysctl file too: it must come back whole, as cat prints it. */
  @Test
  void ephemeralPortRangeMatchesCat() throws Exception {
    Process p = new ProcessBuilder("cat", "/proc/sys/net/ipv4/ip_local_port_range").start();
    String[] expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
    assertEquals(0, p.waitFor());
    dev.portdoctor.core.PortRange r = new LinuxSystemFacts(Path.of("/proc")).ephemeralPortRange().orElseThrow();
    assertEquals(Integer.parseInt(expected[0]), r.first());
    assertEquals(Integer.parseInt(expected[1]), r.last());
  }

  @Test
  void parsesThePortRangeFile() {
    assertEquals(java.util.Optional.of(new dev.portdoctor.core.PortRange(32768, 60999, "net.ipv4.ip_local_port_range")),
        LinuxSystemFacts.parsePortRange("32768\t60999\n")); // as od -c showed it on the dev VM: a tab, a newline
    assertEquals(java.util.Optional.empty(), LinuxSystemFacts.parsePortRange("3"));
    assertEquals(java.util.Optional.empty(), LinuxSystemFacts.parsePortRange("60999 32768"));
  }
}
