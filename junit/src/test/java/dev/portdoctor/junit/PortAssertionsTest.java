package dev.portdoctor.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The assertion helper against real holders: a socket of this JVM, and a child JVM the test starts. */
class PortAssertionsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void namesThisJvmWhenOneOfItsSocketsHoldsThePort() throws IOException {
    try (ServerSocket holder = new ServerSocket(0, 50, LOOPBACK)) {
      int port = holder.getLocalPort();
      AssertionError e = assertThrows(AssertionError.class,
          () -> PortAssertions.assertBinds(port, () -> new ServerSocket(port, 50, LOOPBACK)));
      System.out.println(e.getMessage()); // the README quotes this output
      String m = e.getMessage();
      assertTrue(m.startsWith("port " + port + " could not be bound (Address already in use): in-use, held by "), m);
      assertTrue(m.contains("\n  pid " + ProcessHandle.current().pid() + " java"), m);
      assertTrue(m.contains(", LISTEN ") && m.contains(":" + port + "\n"), m);
      assertInstanceOf(BindException.class, e.getCause());
    }
  }

  @Test
  void namesTheChildJvmThatHoldsThePort() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    // only the test classes on its class path: the command line stays short enough to be shown whole
    String classes = Path.of(HoldPort.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    Process child = new ProcessBuilder(List.of(java.toString(), "-cp", classes,
        HoldPort.class.getName())).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      int port = Integer.parseInt(out.readLine().trim());
      AssertionError e = assertThrows(AssertionError.class,
          () -> PortAssertions.assertBinds(port, () -> {
            try {
              new ServerSocket(port, 50, LOOPBACK).close();
            } catch (IOException io) {
              throw new UncheckedIOException("server start failed", io); // wrapped, as servers do
            }
          }));
      String m = e.getMessage();
      assertTrue(m.contains("\n  pid " + child.pid() + " java"), m);
      assertTrue(m.contains(HoldPort.class.getName()), "command line of the holder: " + m);
      assertInstanceOf(BindException.class, e.getCause());
    } finally {
      child.getOutputStream().close();
      if (!child.waitFor(10, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }

  @Test
  void aServerThatStartsIsReturned(@FreePort int port) throws IOException {
    try (ServerSocket s = PortAssertions.assertBinds(port, () -> new ServerSocket(port, 50, LOOPBACK))) {
      assertEquals(port, s.getLocalPort());
    }
  }

  @Test
  void otherFailuresPassThroughUnchanged() {
    IOException boom = new IOException("not a bind problem");
    IOException e = assertThrows(IOException.class, () -> PortAssertions.assertBinds(1, () -> {
      throw boom;
    }));
    assertSame(boom, e);
  }

  @Test
  void controlCharactersDoNotReachTheReport() {
    assertEquals("evil?[31m?name?", PortAssertions.clean("evil\u001b[31m\nname\u200b"));
  }
}
