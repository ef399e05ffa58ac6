package dev.portdoctor.os.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reading small and large {@code /proc} files whole. Never {@code Files.readString} here: the JDK reads a
 * file whose size shows as 0 one byte first, and a sysctl file answers a read at offset 1 with EOF, so
 * {@code ip_unprivileged_port_start} (1024) came back as "1". One large read from offset 0 is right.
 */
final class ProcFiles {
  private ProcFiles() {}

  /** A read of {@code /proc} bytes: the buffer and how much of it holds data. */
  @SuppressWarnings("ArrayRecordComponent") // a read buffer, never compared or hashed
  record Bytes(byte[] data, int length) {}

  /**
   * Reads a file whole with a large buffer: each {@code read()} of a {@code /proc/net} table makes the
   * kernel find its place in the hash again, so fewer, larger reads are faster.
   */
  static Bytes readAll(Path file, int initial) throws IOException {
    return read(file, initial, false);
  }

  /**
   * The start of a TCP table up to its last listener (the kernel prints the listeners first): reading
   * stops at the first row that is not LISTEN, which on a busy machine skips most of the file. Whole
   * rows only, header included.
   */
  static Bytes readTcpListeners(Path file) throws IOException {
    return read(file, 64 * 1024, true);
  }

  private static Bytes read(Path file, int initial, boolean listenersOnly) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      byte[] buf = new byte[initial];
      int len = 0;
      int lineStart = 0; // the first row not yet looked at (listenersOnly)
      while (true) {
        if (len == buf.length) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int r = ch.read(ByteBuffer.wrap(buf, len, buf.length - len));
        if (r < 0) {
          return new Bytes(buf, len);
        }
        len += r;
        if (!listenersOnly) {
          continue;
        }
        int stop = ProcNetParser.firstNonListener(buf, lineStart, len);
        if (stop >= 0) {
          return new Bytes(buf, stop);
        }
        for (int i = len - 1; i >= lineStart; i--) {
          if (buf[i] == '\n') {
            lineStart = i + 1;
            break;
          }
        }
      }
    }
  }

  static String readString(Path file) throws IOException {
    Bytes b = readAll(file, 4096);
    return new String(b.data(), 0, b.length(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
