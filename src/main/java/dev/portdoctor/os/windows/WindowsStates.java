package dev.portdoctor.os.windows;

import dev.portdoctor.core.SocketState;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Windows TCP state words and numbers, mapped to {@link SocketState}.
 *
 * <p>netstat translates its state column on localized Windows, so the table lists, next to the English
 * words, only the translations seen in real captures (see {@code src/test/resources/fixtures/README.md}):
 * German Windows 8.1 prints ABHÖREN, HERGESTELLT, WARTEND (TIME_WAIT), FIN_WARTEN_2 and
 * SCHLIESSEN_WARTEN. Windows 10/11 in French, Spanish, Russian and Chinese print the English words
 * under translated headers. Any other word is {@link SocketState#UNKNOWN}: the row is kept, because the
 * parser finds columns by structure, not by the word.
 *
 * <p>The numbers are {@code MSFT_NetTCPConnection.State} as Microsoft documents it (1 Closed ... 12
 * DeleteTCB, the same values as {@code MIB_TCP_STATE}). {@code Get-NetTCPConnection -State} also
 * accepts "Bound", whose number the documentation does not give, so only the name is mapped.
 */
final class WindowsStates {
  private WindowsStates() {}

  private static final Map<String, SocketState> NETSTAT = new HashMap<>();
  private static final Map<String, SocketState> POWERSHELL = new HashMap<>();

  /** MSFT_NetTCPConnection.State 1..12; index 0 is unused. */
  private static final SocketState[] NUMBERS = {
    SocketState.UNKNOWN,
    SocketState.CLOSE, // 1 Closed
    SocketState.LISTEN, // 2 Listen
    SocketState.SYN_SENT, // 3 SynSent
    SocketState.SYN_RECV, // 4 SynReceived
    SocketState.ESTABLISHED, // 5 Established
    SocketState.FIN_WAIT1, // 6 FinWait1
    SocketState.FIN_WAIT2, // 7 FinWait2
    SocketState.CLOSE_WAIT, // 8 CloseWait
    SocketState.CLOSING, // 9 Closing
    SocketState.LAST_ACK, // 10 LastAck
    SocketState.TIME_WAIT, // 11 TimeWait
    SocketState.CLOSE, // 12 DeleteTCB: the connection is being torn down
  };

  static {
    // English netstat words (netstat help and real captures).
    NETSTAT.put("LISTENING", SocketState.LISTEN);
    NETSTAT.put("LISTEN", SocketState.LISTEN);
    NETSTAT.put("ESTABLISHED", SocketState.ESTABLISHED);
    NETSTAT.put("TIME_WAIT", SocketState.TIME_WAIT);
    NETSTAT.put("CLOSE_WAIT", SocketState.CLOSE_WAIT);
    NETSTAT.put("SYN_SENT", SocketState.SYN_SENT);
    NETSTAT.put("SYN_RECEIVED", SocketState.SYN_RECV);
    NETSTAT.put("SYN_RCVD", SocketState.SYN_RECV);
    NETSTAT.put("FIN_WAIT_1", SocketState.FIN_WAIT1);
    NETSTAT.put("FIN_WAIT_2", SocketState.FIN_WAIT2);
    NETSTAT.put("LAST_ACK", SocketState.LAST_ACK);
    NETSTAT.put("CLOSING", SocketState.CLOSING);
    NETSTAT.put("CLOSED", SocketState.CLOSE);
    // netstat -q lists "bound nonlistening TCP ports"; Linux shows such a socket as CLOSE too.
    NETSTAT.put("BOUND", SocketState.CLOSE);
    // German (Windows 8.1 capture, ChristianRe/CRWinNetDiag).
    NETSTAT.put("ABHÖREN", SocketState.LISTEN);
    NETSTAT.put("HERGESTELLT", SocketState.ESTABLISHED);
    NETSTAT.put("WARTEND", SocketState.TIME_WAIT);
    NETSTAT.put("FIN_WARTEN_2", SocketState.FIN_WAIT2);
    NETSTAT.put("SCHLIESSEN_WARTEN", SocketState.CLOSE_WAIT);

    String[] names = {
      null, "CLOSED", "LISTEN", "SYNSENT", "SYNRECEIVED", "ESTABLISHED", "FINWAIT1", "FINWAIT2",
      "CLOSEWAIT", "CLOSING", "LASTACK", "TIMEWAIT", "DELETETCB"
    };
    for (int i = 1; i < names.length; i++) {
      POWERSHELL.put(names[i], NUMBERS[i]);
    }
    POWERSHELL.put("BOUND", SocketState.CLOSE);
  }

  /** A netstat state word (or words, joined by one space), any case. */
  static SocketState netstat(String word) {
    return NETSTAT.getOrDefault(word.toUpperCase(Locale.ROOT), SocketState.UNKNOWN);
  }

  /** A {@code Get-NetTCPConnection} state name ("Listen", "TimeWait"...), any case. */
  static SocketState powerShellName(String name) {
    return POWERSHELL.getOrDefault(name.toUpperCase(Locale.ROOT), SocketState.UNKNOWN);
  }

  /** A {@code MSFT_NetTCPConnection.State} number. */
  static SocketState powerShellNumber(long n) {
    return n > 0 && n < NUMBERS.length ? NUMBERS[(int) n] : SocketState.UNKNOWN;
  }
}
