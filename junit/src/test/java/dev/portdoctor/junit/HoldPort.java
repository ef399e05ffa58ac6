package dev.portdoctor.junit;

import java.net.InetAddress;
import java.net.ServerSocket;

/** A child JVM's main: listens on a loopback port, prints it, and holds it until stdin closes. */
public final class HoldPort {
  private HoldPort() {}

  public static void main(String[] args) throws Exception {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      System.out.println(s.getLocalPort());
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold until the parent closes our stdin (or ends us)
      }
    }
  }
}
