package dev.portdoctor.os.text;

/**
 * Checks on IP address text as tools print it. The IPv6 check is deliberately loose: {@code netstat}
 * cuts long IPv6 addresses to fit its column ({@code 2603:6010:7c00:4}), and such text is kept as
 * printed, because the port beside it is still whole; only text that cannot be an address is refused.
 */
public final class Addresses {
  private Addresses() {}

  /** A dotted quad, each part 0-255. */
  public static boolean isIpv4(String s) {
    int parts = 0;
    int i = 0;
    int len = s.length();
    while (i <= len && parts < 5) {
      int start = i;
      int v = 0;
      while (i < len && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
        v = v * 10 + (s.charAt(i) - '0');
        i++;
      }
      if (i == start || v > 255) {
        return false;
      }
      parts++;
      if (i == len) {
        return parts == 4;
      }
      if (s.charAt(i) != '.') {
        return false;
      }
      i++;
    }
    return false;
  }

  /**
   * IPv6 text: hex digits, colons (at least one) and dots (an embedded IPv4 part), at most 45
   * characters, then an optional {@code %zone} without blanks.
   */
  public static boolean isIpv6(String s) {
    int pct = s.indexOf('%');
    int end = pct < 0 ? s.length() : pct;
    if (end == 0 || end > 45) {
      return false;
    }
    boolean colon = false;
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      if (c == ':') {
        colon = true;
      } else if (!isHex(c) && c != '.') {
        return false;
      }
    }
    if (pct >= 0) {
      if (pct == s.length() - 1 || s.length() - pct > 64) {
        return false;
      }
      for (int i = pct + 1; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c <= ' ' || c == '[' || c == ']' || c == '%' || c == 0x7f) {
          return false;
        }
      }
    }
    return colon;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /**
   * The IPv4-mapped form {@code ::ffff:a.b.c.d}: what an IPv6 socket really holds when a tool shows a
   * plain IPv4 address for it (net-tools {@code netstat} under {@code tcp6}, {@code lsof} on an
   * {@code IPv6} file). {@code /proc/net/tcp6} and {@code ss} print this form themselves.
   */
  public static String v4Mapped(String ipv4) {
    return "::ffff:" + ipv4;
  }

  /** True for an address in fe80::/10, where the zone after {@code %} is part of the address. */
  public static boolean isLinkLocal(String ipv6) {
    if (ipv6.length() < 4) {
      return false;
    }
    char a = Character.toLowerCase(ipv6.charAt(0));
    char b = Character.toLowerCase(ipv6.charAt(1));
    char c = Character.toLowerCase(ipv6.charAt(2));
    return a == 'f' && b == 'e' && (c == '8' || c == '9' || c == 'a' || c == 'b');
  }

  /** The longest name DNS allows. */
  private static final int MAX_HOST = 253;

  /**
   * A resolved host name as netstat and lsof print one: letters, digits, {@code -}, {@code _} and dots,
   * starting with a letter or digit, with at least one letter (all digits and dots is a broken
   * address, not a name).
   */
  public static boolean isHostName(String s) {
    if (s.isEmpty() || s.length() > MAX_HOST || !Character.isLetterOrDigit(s.charAt(0))) {
      return false;
    }
    boolean letter = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128 && Character.isLetter(c)) {
        letter = true;
      } else if (!(c >= '0' && c <= '9') && c != '-' && c != '_' && c != '.') {
        return false;
      }
    }
    return letter;
  }
}
