package dev.portdoctor.os.mac;

import dev.portdoctor.core.Owner;
import dev.portdoctor.os.text.Numbers;
import dev.portdoctor.os.text.Tokens;
import java.util.Optional;

/**
 * Reads the process column of a macOS {@code netstat -v} row. The owner it returns may have PID 0
 * (the kernel); callers decide what that means. A name is only known from macOS 26's {@code name:pid}.
 */
final class BsdProcessColumn {
  private BsdProcessColumn() {}

  /**
   * Reads the owner from the process column.
   *
   * @param at the field after the state (or after the foreign address on a UDP row)
   * @return the owner, or null when the columns are not what the header announced
   */
  static Owner read(Tokens t, int at, BsdNetstatLayout layout) {
    int start = at + layout.numbersBefore;
    if (start >= t.count()) {
      return null;
    }
    for (int i = at; i < start; i++) {
      if (!Numbers.isDigits(t.get(i))) {
        return null;
      }
    }
    if (!layout.namedPid) {
      long pid = Numbers.dec(t.get(start));
      return pid < 0 ? null : new Owner(pid, Optional.empty());
    }
    int end = t.count() - 1 - layout.columnsAfter;
    if (end < start || pidSuffix(t.get(end)) < 0) {
      end = -1;
      for (int i = start; i < t.count() && end < 0; i++) {
        if (pidSuffix(t.get(i)) >= 0) {
          end = i;
        }
      }
      if (end < 0) {
        return null;
      }
    }
    String span = t.span(start, end);
    int colon = span.lastIndexOf(':');
    long pid = Numbers.dec(span, colon + 1, span.length());
    String name = span.substring(0, colon).strip();
    return new Owner(pid, name.isEmpty() ? Optional.empty() : Optional.of(name));
  }

  /** The PID after the last colon of {@code name:pid}, or -1 when the field does not end so. */
  private static long pidSuffix(String field) {
    int colon = field.lastIndexOf(':');
    return colon < 0 ? -1 : Numbers.dec(field, colon + 1, field.length());
  }
}
