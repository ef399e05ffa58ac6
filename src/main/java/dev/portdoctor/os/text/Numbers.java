package dev.portdoctor.os.text;

/**
 * Guarded number parsing for tool output: a bad number is {@code -1}, never an exception, so a
 * parser skips and counts the line instead of failing (no {@code Integer.parseInt} on system output).
 */
public final class Numbers {
  private Numbers() {}

  /** Decimal digits only, at most 18 of them; otherwise -1. */
  public static long dec(String s) {
    return dec(s, 0, s.length());
  }

  /** Decimal digits only in {@code s[from, to)}, at most 18 of them; otherwise -1. */
  public static long dec(String s, int from, int to) {
    if (from < 0 || to > s.length() || from >= to || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** A port number 0-65535 in decimal; otherwise -1. */
  public static int port(String s) {
    long v = s.length() > 5 ? -1 : dec(s);
    return v >= 0 && v <= 65535 ? (int) v : -1;
  }

  /** True for a non-empty run of decimal digits. */
  public static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
