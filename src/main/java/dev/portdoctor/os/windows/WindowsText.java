package dev.portdoctor.os.windows;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.os.text.Numbers;
import java.util.ArrayList;
import java.util.List;

/**
 * Small, allocation-light helpers shared by the Windows text parsers. Everything here reads untrusted
 * text, so nothing throws: a value that does not parse comes back as {@code -1} or {@code null} and the
 * caller skips the line. Tokenizing is done by hand, never with a regular expression, so no input can
 * make a parser backtrack for long.
 */
final class WindowsText {
  private WindowsText() {}

  /** Longest text kept of a skipped line, for the error message. */
  static final int CLIP = 200;

  /** No row has this many words; past it the last word takes the rest of the line (see {@link #tokens}). */
  static final int MAX_FIELDS = 1024;

  /** Windows PIDs are DWORDs. */
  static final long MAX_PID = 0xFFFF_FFFFL;

  /** The text without a leading UTF-8 byte order mark (PowerShell's {@code Out-File} writes one). */
  static String stripBom(String text) {
    return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
  }

  /** Splits text into lines on LF; a CR before it stays and is treated as blank space by {@link #tokens}. */
  static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      if (text.charAt(i) == '\n') {
        out.add(text.substring(start, i));
        start = i + 1;
      }
    }
    if (start < n) {
      out.add(text.substring(start));
    }
    return out;
  }

  /** True for the characters netstat and friends pad columns with (and CR, NBSP, other control chars). */
  static boolean isBlank(char c) {
    return c <= ' ' || c == '\u00A0' || Character.isWhitespace(c);
  }

  /**
   * The blank-separated words of a line; word {@link #MAX_FIELDS} (the last) is the rest of the line, so
   * a hostile line of millions of short words costs no more than its own text.
   */
  static List<String> tokens(String line) {
    List<String> out = new ArrayList<>(8);
    int i = 0;
    int n = line.length();
    while (i < n) {
      while (i < n && isBlank(line.charAt(i))) {
        i++;
      }
      int start = i;
      if (start < n && out.size() == MAX_FIELDS - 1) {
        out.add(trim(line.substring(start)));
        break;
      }
      while (i < n && !isBlank(line.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(line.substring(start, i));
      }
    }
    return out;
  }

  /** The line without leading and trailing blanks. */
  static String trim(String line) {
    int from = 0;
    int to = line.length();
    while (from < to && isBlank(line.charAt(from))) {
      from++;
    }
    while (to > from && isBlank(line.charAt(to - 1))) {
      to--;
    }
    return line.substring(from, to);
  }

  /** At most {@link #CLIP} characters of a line, without its CR. */
  static String clip(String line) {
    String t = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    return t.length() <= CLIP ? t : t.substring(0, CLIP);
  }

  /** Decimal digits to a number; -1 when empty, longer than {@code maxDigits} or not all ASCII digits. */
  static long digits(String s, int maxDigits) {
    int n = s.length();
    if (n == 0 || n > maxDigits) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** True when the text is one or more ASCII digits. */
  static boolean isDigits(String s) {
    return Numbers.isDigits(s);
  }

  /** A port 0-65535, or -1. */
  static int port(String s) {
    return Numbers.port(s);
  }

  /** A PID 0-4294967295, or -1. */
  static long pid(String s) {
    long v = digits(s, 10);
    return v < 0 || v > MAX_PID ? -1 : v;
  }

  /** True for a dotted IPv4 literal: four decimal parts of 1-3 digits, each at most 255. */
  static boolean isIpv4(String s) {
    int parts = 0;
    int i = 0;
    int n = s.length();
    while (i <= n) {
      int start = i;
      while (i < n && s.charAt(i) != '.') {
        i++;
      }
      long v = digits(s.substring(start, i), 3);
      if (v < 0 || v > 255) {
        return false;
      }
      parts++;
      i++;
    }
    return parts == 4;
  }

  /**
   * True for an IPv6 literal as Windows prints it: hex groups and colons (two at least), an optional
   * dotted IPv4 tail, and an optional zone after {@code %} (an interface index such as {@code %12}).
   * A light check: enough to refuse words and garbage, not a full RFC 4291 validator.
   */
  static boolean isIpv6(String s) {
    int pct = s.indexOf('%');
    String addr = pct < 0 ? s : s.substring(0, pct);
    if (pct >= 0 && !isZone(s.substring(pct + 1))) {
      return false;
    }
    if (addr.length() < 2 || addr.length() > 45) {
      return false;
    }
    int colons = 0;
    for (int i = 0; i < addr.length(); i++) {
      char c = addr.charAt(i);
      if (c == ':') {
        colons++;
      } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.')) {
        return false;
      }
    }
    return colons >= 2 && colons <= 7;
  }

  private static boolean isZone(String z) {
    if (z.isEmpty() || z.length() > 64) {
      return false;
    }
    for (int i = 0; i < z.length(); i++) {
      char c = z.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  /** True for an IPv4 or IPv6 literal (IPv6 without brackets). */
  static boolean isAddress(String s) {
    return isIpv4(s) || isIpv6(s);
  }

  /**
   * Parses netstat's {@code address:port}: {@code 0.0.0.0:135}, {@code [::]:135},
   * {@code [fe80::1%12]:5353}. IPv6 loses its brackets and keeps its zone. Null when it is anything
   * else (a host name from a netstat run without {@code -n}, a service name as port, garbage).
   */
  static Endpoint endpoint(String token) {
    String addr;
    String portText;
    if (token.startsWith("[")) {
      int close = token.indexOf(']');
      if (close < 0 || close + 1 >= token.length() || token.charAt(close + 1) != ':') {
        return null;
      }
      addr = token.substring(1, close);
      portText = token.substring(close + 2);
      if (!isIpv6(addr)) {
        return null;
      }
    } else {
      int colon = token.lastIndexOf(':');
      if (colon <= 0) {
        return null;
      }
      addr = token.substring(0, colon);
      portText = token.substring(colon + 1);
      if (!isIpv4(addr)) {
        return null;
      }
    }
    int port = port(portText);
    return port < 0 ? null : new Endpoint(addr, port);
  }

  /** True for the "no peer" endpoint of a listening socket: {@code 0.0.0.0:0} or {@code [::]:0}. */
  static boolean isUnspecified(Endpoint e) {
    return e.port() == 0 && (e.address().equals("0.0.0.0") || e.address().equals("::"));
  }
}
