package dev.portdoctor.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the Docker Engine on a unix socket in a test's temp dir: it answers every request with
 * the given raw HTTP answer (a real captured body behind a status line and headers) and records the
 * requests. {@code null} as answer: it accepts and never answers (a hung daemon).
 */
public final class FakeDockerEngine implements AutoCloseable {
  private final ServerSocketChannel server;
  private final Path socket;
  private final Thread thread;
  /** Every request's head, as received. */
  public final List<String> requests = new CopyOnWriteArrayList<>();

  public FakeDockerEngine(Path socket, byte[] answer) {
    this.socket = socket;
    try {
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    thread = new Thread(() -> serve(answer), "fake-docker-engine");
    thread.setDaemon(true);
    thread.start();
  }

  /** An HTTP/1.0 200 answer with the body, as the engine answers an HTTP/1.0 request. */
  public static byte[] ok(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.0 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\nServer: Docker/20.10.2 (linux)\r\n"
        + "Content-Length: " + b.length + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[h.length + b.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(b, 0, all, h.length, b.length);
    return all;
  }

  /** The same body, chunked in pieces of {@code size} bytes, as an HTTP/1.1 answer. */
  public static byte[] chunked(String body, int size) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(sb.toString().getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < b.length; i += size) {
      int n = Math.min(size, b.length - i);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(b, i, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  public Path socket() {
    return socket;
  }

  private void serve(byte[] answer) {
    while (server.isOpen()) {
      try (SocketChannel c = server.accept()) {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        StringBuilder head = new StringBuilder();
        while (!head.toString().contains("\r\n\r\n") && c.read(buf) > 0) {
          buf.flip();
          head.append(StandardCharsets.US_ASCII.decode(buf));
          buf.clear();
        }
        requests.add(head.toString());
        if (answer == null) {
          Thread.sleep(10_000);
          continue;
        }
        ByteBuffer out = ByteBuffer.wrap(answer);
        while (out.hasRemaining()) {
          c.write(out);
        }
      } catch (IOException e) {
        return; // closed
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    try {
      server.close();
      thread.interrupt();
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
