package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.FakePlatform;
import org.junit.jupiter.api.Test;

/**
 * The text table of {@code list}, byte for byte: a socket shared by two processes, several sockets of one
 * process (their columns are made once and reused), and a process name that must be escaped.
 */
class ListTableTest {

  @Test
  void tableColumnsForSharedAndRepeatedHolders() {
    FakePlatform os = new FakePlatform()
        .process(1, 0, "systemd", "root").process(4242, 1, "node", "root").process(4300, 4242, "node", "root")
        .process(700, 1, "sshd", "root").process(800, 1, "bad\nname", "alice")
        .listening(8080, 4242).listening(8080, 4300)
        .listening(22, 700).listening(2222, 700).listening(9, 800).listening(10, 800);
    Result r = CliRunner.run(os::platform, "list");
    assertEquals(0, r.exit(), r::toString);
    assertEquals(String.join("\n",
        "PROTO  LOCAL         STATE   PID        USER   PROCESS    COMMAND",
        "tcp    0.0.0.0:9     LISTEN  800        alice  bad\\nname  bad\\nname --serve",
        "tcp    0.0.0.0:10    LISTEN  800        alice  bad\\nname  bad\\nname --serve",
        "tcp    0.0.0.0:22    LISTEN  700        root   sshd       sshd --serve",
        "tcp    0.0.0.0:2222  LISTEN  700        root   sshd       sshd --serve",
        "tcp    0.0.0.0:8080  LISTEN  4242,4300  root   node       node --serve",
        ""), r.out().replace(System.lineSeparator(), "\n"));
  }
}
