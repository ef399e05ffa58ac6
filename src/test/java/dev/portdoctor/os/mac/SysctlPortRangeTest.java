package dev.portdoctor.os.mac;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portdoctor.core.PortRange;
import dev.portdoctor.os.CommandRunner;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SysctlPortRangeTest {

  @Test
  void parsesTheTwoLinesOfSysctl() {
    // sysctl -n net.inet.ip.portrange.first net.inet.ip.portrange.last, macOS defaults
    assertEquals(Optional.of(new PortRange(49152, 65535)), SysctlPortRange.parse("49152\n65535\n"));
    assertEquals(Optional.of(new PortRange(10000, 65535)), SysctlPortRange.parse("10000\r\n65535\r\n"));
    assertEquals(Optional.empty(), SysctlPortRange.parse("49152\n"));
    assertEquals(Optional.empty(), SysctlPortRange.parse("sysctl: unknown oid\n"));
    assertEquals(Optional.empty(), SysctlPortRange.parse("65535\n49152\n"));
  }

  @Test
  void fallsBackToTheDefaultWhenSysctlFails() {
    CommandRunner failing = (argv, timeout) -> new CommandRunner.Output(1, "", "unknown oid", false);
    assertEquals(SysctlPortRange.DEFAULT, SysctlPortRange.read(failing));
    CommandRunner answering = (argv, timeout) -> {
      assertEquals(SysctlPortRange.ARGV, argv);
      return new CommandRunner.Output(0, "50000\n60000\n", "", false);
    };
    assertEquals(new PortRange(50000, 60000), SysctlPortRange.read(answering));
  }
}
