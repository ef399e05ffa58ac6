package dev.portdoctor.os.linux;

import dev.portdoctor.core.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A minimal client of the Docker Engine API (and Podman's compatible one) on its unix socket: one plain
 * HTTP/1.0 {@code GET} (so the engine answers without keep-alive and closes), a deadline for the whole
 * exchange, and a cap on the answer's size. No HTTP library: the JDK's client does not speak to unix
 * sockets, and one request does not justify a dependency.
 */
public final class DockerEngineClient {
  /** More than this is not a container list. */
  private static final int MAX_BYTES = 32 * 1024 * 1024;

  private final Path socket;
  private final Duration timeout;

  public DockerEngineClient(Path socket, Duration timeout) {
    this.socket = socket;
    this.timeout = timeout;
  }

  public Path socket() {
    return socket;
  }

  /** The running containers, or empty when the socket is absent, refuses, is too slow or answers nonsense. */
  public Optional<List<DockerContainers.Container>> containers() {
    if (!Files.exists(socket)) {
      return Optional.empty();
    }
    try {
      return Optional.of(DockerContainers.parse(get("/containers/json")));
    } catch (IOException | RuntimeException e) {
      Log.debug(DockerEngineClient.class, () -> "Docker Engine API at " + socket + ": " + e);
      return Optional.empty();
    }
  }

  /** The body of a {@code GET} that answered 200. */
  String get(String path) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] request = ("GET " + path + " HTTP/1.0\r\nHost: docker\r\nUser-Agent: portdoctor\r\nAccept: application/json\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream response = new ByteArrayOutputStream(8192);
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
      ch.connect(UnixDomainSocketAddress.of(socket)); // a unix socket connects at once, or fails
      ch.configureBlocking(false);
      ByteBuffer out = ByteBuffer.wrap(request);
      SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
      ByteBuffer in = ByteBuffer.allocate(64 * 1024);
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new IOException("no answer within " + timeout.toMillis() + " ms");
        }
        selector.select(left);
        if (out.hasRemaining()) {
          ch.write(out);
          if (!out.hasRemaining()) {
            key.interestOps(SelectionKey.OP_READ);
          }
          continue;
        }
        int r = ch.read(in);
        if (r < 0) {
          break;
        }
        if (r > 0) {
          response.write(in.array(), 0, in.position());
          in.clear();
          if (response.size() > MAX_BYTES) {
            throw new IOException("answer larger than " + MAX_BYTES + " bytes");
          }
        }
      }
    }
    return body(response.toByteArray());
  }

  /** Splits status line, headers and body; decodes a chunked body. */
  static String body(byte[] raw) throws IOException {
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
    if (end < 0) {
      throw new IOException("incomplete HTTP answer");
    }
    String head = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n");
    String[] status = lines[0].split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer: " + lines[0]);
    }
    if (!status[1].equals("200")) {
      throw new IOException("HTTP " + lines[0].substring(status[0].length()).strip());
    }
    boolean chunked = false;
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i].toLowerCase(Locale.ROOT);
      if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
        chunked = true;
      }
    }
    int start = end + 4;
    if (!chunked) {
      return new String(raw, start, raw.length - start, StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
    int pos = start;
    while (true) {
      int eol = indexOf(raw, new byte[] {'\r', '\n'}, pos);
      if (eol < 0) {
        throw new IOException("truncated chunked body");
      }
      String size = new String(raw, pos, eol - pos, StandardCharsets.US_ASCII).strip();
      int semi = size.indexOf(';');
      int n;
      try {
        n = Integer.parseInt(semi >= 0 ? size.substring(0, semi) : size, 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size '" + size + "'");
      }
      pos = eol + 2;
      if (n == 0) {
        break;
      }
      if (n < 0 || pos + n > raw.length) {
        throw new IOException("truncated chunk");
      }
      out.write(raw, pos, n);
      pos += n + 2;
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
