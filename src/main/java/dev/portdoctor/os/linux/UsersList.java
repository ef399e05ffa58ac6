package dev.portdoctor.os.linux;

import dev.portdoctor.core.Owner;
import dev.portdoctor.os.text.Numbers;
import java.util.List;
import java.util.Optional;

/**
 * Reads the process list {@code ss -p} prints, {@code (("name",pid=1,fd=3),("name",pid=2,fd=3))}, or
 * in old versions {@code (("name",1,3))}. Names are not escaped, so a name ends where {@code ",pid=}
 * (or {@code ",} and a digit) follows, not at the next quote: {@code ("w "q",x y",pid=6532,fd=14)} is
 * the process {@code w "q",x y}. A PID listed twice (two descriptors) counts once.
 */
final class UsersList {
  private UsersList() {}

  /**
   * Reads the list that starts at {@code from} (at its outer {@code (}) and adds its owners.
   *
   * @return the offset just after the list, or -1 when it is malformed
   */
  static int read(String s, int from, List<Owner> owners) {
    int len = s.length();
    if (from >= len || s.charAt(from) != '(') {
      return -1;
    }
    int pos = from + 1;
    while (true) {
      if (pos + 1 >= len || s.charAt(pos) != '(' || s.charAt(pos + 1) != '"') {
        return -1;
      }
      int nameStart = pos + 2;
      int quote = nameEnd(s, nameStart);
      if (quote < 0) {
        return -1;
      }
      int p = quote + 2;
      if (s.startsWith("pid=", p)) {
        p += 4;
      }
      int digits = p;
      while (p < len && p - digits < 19 && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
        p++;
      }
      long pid = Numbers.dec(s, digits, p);
      int close = s.indexOf(')', p);
      if (pid <= 0 || close < 0) {
        return -1;
      }
      addOnce(owners, pid, s.substring(nameStart, quote));
      pos = close + 1;
      if (pos < len && s.charAt(pos) == ',') {
        pos++;
      } else if (pos < len && s.charAt(pos) == ')') {
        return pos + 1;
      } else {
        return -1;
      }
    }
  }

  /** The offset of the quote that ends a name starting at {@code from}, or -1. */
  private static int nameEnd(String s, int from) {
    int q = s.indexOf("\",", from);
    while (q >= 0) {
      int after = q + 2;
      if (s.startsWith("pid=", after)
          || (after < s.length() && s.charAt(after) >= '0' && s.charAt(after) <= '9')) {
        return q;
      }
      q = s.indexOf("\",", q + 1);
    }
    return -1;
  }

  private static void addOnce(List<Owner> owners, long pid, String name) {
    for (Owner o : owners) {
      if (o.pid() == pid) {
        return;
      }
    }
    owners.add(new Owner(pid, name.isEmpty() ? Optional.empty() : Optional.of(name)));
  }
}
