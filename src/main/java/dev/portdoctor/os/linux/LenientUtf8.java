package dev.portdoctor.os.linux;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes bytes that should be UTF-8 but need not be (a command line is any bytes): valid sequences
 * become text, each invalid byte becomes the four characters {@code \xNN}, so nothing is lost and
 * nothing is replaced silently.
 */
final class LenientUtf8 {
  private LenientUtf8() {}

  static String decode(byte[] b, int from, int to) {
    boolean ascii = true;
    for (int i = from; i < to; i++) {
      if (b[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(b, from, to - from);
    CharBuffer out = CharBuffer.allocate((to - from) * 4 + 4);
    while (true) {
      CoderResult r = dec.decode(in, out, true);
      if (r.isUnderflow()) {
        break;
      }
      if (r.isError()) {
        for (int k = 0; k < r.length(); k++) {
          int v = in.get() & 0xff;
          out.put('\\').put('x').put(Character.forDigit(v >> 4, 16)).put(Character.forDigit(v & 15, 16));
        }
        continue;
      }
      throw new IllegalStateException("overflow"); // cannot happen: 4 chars per byte at most
    }
    try {
      dec.flush(out);
    } catch (IllegalStateException e) {
      // flush after a completed decode never fails
    }
    out.flip();
    return out.toString();
  }

  static String decode(byte[] b) {
    return decode(b, 0, b.length);
  }

}
