package dev.portdoctor.os.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Process names: the kernel's comm is cut at 15 characters; the executable or command line has the rest. */
class ProcProcessSourceNameTest {

  @Test
  void shortCommIsKept() {
    assertEquals("docker-proxy", ProcProcessSource.displayName("docker-proxy", Optional.of("/usr/bin/docker-proxy"),
        new String[] {"/usr/bin/docker-proxy", "-proto", "tcp"}));
  }

  /** SYNTHETIC: containerd's shim, whose 23-character name the kernel cuts to 15. */
  @Test
  void cutCommCompletedFromTheExecutable() {
    assertEquals("containerd-shim-runc-v2", ProcProcessSource.displayName("containerd-shim",
        Optional.of("/usr/bin/containerd-shim-runc-v2"), new String[] {"/usr/bin/containerd-shim-runc-v2", "-namespace"}));
  }

  /** SYNTHETIC: a #! script: comm is the script's name cut, exe and argv[0] are the interpreter's. */
  @Test
  void cutCommOfAScriptCompletedFromItsPath() {
    assertEquals("metrics-collector.py", ProcProcessSource.displayName("metrics-collect", Optional.of("/usr/bin/python3.11"),
        new String[] {"/usr/bin/python3", "-u", "/opt/app/metrics-collector.py", "--port", "9100"}));
    assertEquals("metrics-collect", ProcProcessSource.displayName("metrics-collect", Optional.of("/usr/bin/python3.11"),
        new String[] {"/usr/bin/python3", "/opt/other.py"}));
  }
}
