package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.api.Ports;
import dev.portdoctor.core.WaitResult;
import dev.portdoctor.junit.FreePort;
import dev.portdoctor.junit.PortAssertions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

@Execution(ExecutionMode.CONCURRENT)
class EchoServerTest {

  @Test
  void echoes(@FreePort int port) throws Exception {
    try (EchoServer server = PortAssertions.assertBinds(port, () -> EchoServer.start(port));
        Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
        PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
      out.println("hello");
      assertEquals("hello", in.readLine());
    }
  }

  @Test
  void aSecondServerOnTheSamePortFailsWithTheHolderNamed(@FreePort int port) throws Exception {
    try (EchoServer first = EchoServer.start(port)) {
      AssertionError e = assertThrows(AssertionError.class,
          () -> PortAssertions.assertBinds(port, () -> EchoServer.start(port)));
      System.out.println(e.getMessage()); // as a failing test would report it
      assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
    }
  }

  @Test
  void theLibraryAnswersWhatTheCliDoes() throws Exception {
    Ports ports = Ports.local();
    try (EchoServer server = EchoServer.startAnywhere()) {
      assertEquals(WaitResult.Outcome.MET, ports.waitFor(server.port(), Duration.ofSeconds(5)).outcome());
      assertEquals(false, ports.isFree(server.port()));
      assertEquals(ProcessHandle.current().pid(), ports.holders(server.port()).get(0).pid());
    }
  }
}
