package dev.portdoctor.os.mac;

import dev.portdoctor.os.text.Tokens;
import java.util.Locale;

/**
 * Where the process column of macOS {@code netstat -anv} is, read from the header line, because Apple
 * has moved it between releases:
 * <ul>
 *   <li>up to macOS 14: {@code (state) rhiwat shiwat pid epid [state options gencnt ...]};
 *   <li>macOS 15: {@code (state) rxbytes txbytes rhiwat shiwat pid epid state options ...};
 *   <li>macOS 26: {@code (state) rxbytes txbytes rhiwat shiwat process:pid state options ...}, where
 *       the process name (cut to 16 characters, padded on the left) may hold spaces.
 * </ul>
 * Without {@code -v} there is no process column at all.
 */
final class BsdNetstatLayout {
  /** No header seen, or a header without a process column. */
  static final BsdNetstatLayout NO_PID = new BsdNetstatLayout(false, false, 0, 0);

  final boolean hasPid;
  /** True for macOS 26's {@code process:pid}, false for a bare {@code pid} column. */
  final boolean namedPid;
  /** How many number columns lie between the state and the process column. */
  final int numbersBefore;
  /** How many columns the header has after the process column. */
  final int columnsAfter;

  private BsdNetstatLayout(boolean hasPid, boolean namedPid, int numbersBefore, int columnsAfter) {
    this.hasPid = hasPid;
    this.namedPid = namedPid;
    this.numbersBefore = numbersBefore;
    this.columnsAfter = columnsAfter;
  }

  /** The layout a {@code Proto Recv-Q ...} header line announces. */
  static BsdNetstatLayout of(Tokens header) {
    int state = -1;
    int pid = -1;
    boolean named = false;
    for (int i = 0; i < header.count(); i++) {
      String h = header.get(i).toLowerCase(Locale.ROOT);
      if (h.equals("(state)") && state < 0) {
        state = i;
      } else if (state >= 0 && pid < 0 && (h.equals("pid") || h.equals("process:pid"))) {
        pid = i;
        named = h.equals("process:pid");
      }
    }
    if (state < 0 || pid < 0) {
      return NO_PID;
    }
    return new BsdNetstatLayout(true, named, pid - state - 1, header.count() - pid - 1);
  }
}
