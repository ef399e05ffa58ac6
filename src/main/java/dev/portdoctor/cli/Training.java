package dev.portdoctor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * The launcher's training run for its start-up archive (AppCDS on Java 17-24, the AOT cache on 25): the
 * read-only commands people run most, in one JVM, so that the archive holds the classes and lambdas of
 * each (who, check and list, as text and as JSON, with a holder to describe). The only socket it
 * touches is its own listener on loopback; the output goes nowhere; it never signals a process.
 */
public final class Training {
  private Training() {}

  public static void main(String[] args) throws IOException {
    try (ServerSocket own = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(own.getLocalPort());
      PrintWriter sink = new PrintWriter(Writer.nullWriter());
      String[][] lines = {
        {"who", port}, {"who", port, "--json"}, {"check", port}, {"check", port, "--json"},
        {"list"}, {"list", "--tcp", "--udp", "--json"}, {"--version"}, {"who", "--help"}, {"who", "nosuch"},
      };
      java.io.BufferedReader noAnswers = new java.io.BufferedReader(java.io.Reader.nullReader());
      for (String[] line : lines) {
        PortDoctorCli.runProcess(line, sink, sink, Context.Terminal.pipe(), noAnswers);
      }
      // Main itself, loaded (not run: it exits) so that the archive holds it too
      try {
        Class.forName("dev.portdoctor.Main", false, Training.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
