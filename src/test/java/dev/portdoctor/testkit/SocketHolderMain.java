package dev.portdoctor.testkit;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A process that tests start (in a child JVM) to hold sockets. Arguments, any number:
 * {@code tcp:ADDR:PORT}, {@code udp:ADDR:PORT} (PORT 0 picks a free one; IPv6 in brackets), {@code idle},
 * {@code ignore-term} (survive SIGTERM), {@code child=SPEC;SPEC} (start a child holder with those
 * specs), {@code exit-after=MS} (close everything and exit that long after READY). It prints {@code PID n},
 * one {@code PORT n} per socket (and {@code CHILDPID n} for a child), then {@code READY}, and lives until
 * its stdin closes.
 */
public final class SocketHolderMain {
  private SocketHolderMain() {}

  public static void main(String[] args) throws Exception {
    List<AutoCloseable> held = new ArrayList<>();
    Process child = null;
    long exitAfter = 0;
    StringBuilder report = new StringBuilder();
    report.append("PID ").append(ProcessHandle.current().pid()).append('\n');
    for (String a : args) {
      if (a.equals("idle")) {
        continue; // hold nothing, just live
      } else if (a.startsWith("exit-after=")) {
        exitAfter = Long.parseLong(a.substring(11));
      } else if (a.equals("ignore-term")) {
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), sig -> { });
      } else if (a.startsWith("child=")) {
        child = ChildJvm.start(SocketHolderMain.class, a.substring(6).split(";")).process();
        report.append("CHILDPID ").append(child.pid()).append('\n');
      } else {
        String[] f = a.split(":", 2);
        int lastColon = f[1].lastIndexOf(':');
        String host = f[1].substring(0, lastColon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(f[1].substring(lastColon + 1));
        InetSocketAddress addr = new InetSocketAddress(InetAddress.getByName(host), port);
        if (f[0].equals("tcp")) {
          ServerSocket s = new ServerSocket();
          s.bind(addr);
          held.add(s);
          report.append("PORT ").append(s.getLocalPort()).append('\n');
        } else {
          DatagramSocket s = new DatagramSocket(addr);
          held.add(s);
          report.append("PORT ").append(s.getLocalPort()).append('\n');
        }
      }
    }
    report.append("READY\n");
    System.out.print(report);
    System.out.flush();
    if (exitAfter > 0) {
      Thread.sleep(exitAfter);
    } else {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      while (in.readLine() != null) {
        // live until stdin closes
      }
    }
    for (AutoCloseable c : held) {
      c.close();
    }
    if (child != null) {
      child.getOutputStream().close();
      child.waitFor();
    }
  }
}
