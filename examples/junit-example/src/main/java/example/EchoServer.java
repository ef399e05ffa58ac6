package example;

import dev.portdoctor.api.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A tiny line echo server on loopback, one connection at a time. */
public final class EchoServer implements AutoCloseable {
  private final ServerSocket socket;
  private final Thread acceptor;

  private EchoServer(ServerSocket socket) {
    this.socket = socket;
    this.acceptor = new Thread(this::serve, "echo-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Binds the port on loopback; a port in use fails with {@link java.net.BindException}. */
  public static EchoServer start(int port) throws IOException {
    return new EchoServer(new ServerSocket(port, 50, InetAddress.getLoopbackAddress()));
  }

  /** Starts on a port portdoctor finds free (confirmed by a trial bind). */
  public static EchoServer startAnywhere() throws IOException {
    return start(Ports.local().freePort());
  }

  public int port() {
    return socket.getLocalPort();
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket c = socket.accept();
          BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
          PrintWriter out = new PrintWriter(c.getOutputStream(), true, StandardCharsets.UTF_8)) {
        for (String line; (line = in.readLine()) != null; ) {
          out.println(line);
        }
      } catch (IOException e) {
        // closed, or the client went away: serve the next one
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
