package dev.portdoctor.os.text;

import dev.portdoctor.core.SocketState;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * TCP state words as the tools print them, mapped to {@link SocketState}: {@code ss} uses
 * {@code ESTAB} and dashes ({@code FIN-WAIT-1}), net-tools {@code netstat} underscores
 * ({@code FIN_WAIT1}), the BSDs and macOS {@code SYN_RCVD}, {@code FIN_WAIT_1} and {@code CLOSED}.
 */
public final class StateNames {
  private static final Map<String, SocketState> WORDS = new HashMap<>();

  static {
    put(SocketState.ESTABLISHED, "ESTAB", "ESTABLISHED");
    put(SocketState.SYN_SENT, "SYN_SENT");
    put(SocketState.SYN_RECV, "SYN_RECV", "SYN_RCVD", "SYN_RECEIVED");
    put(SocketState.FIN_WAIT1, "FIN_WAIT1", "FIN_WAIT_1");
    put(SocketState.FIN_WAIT2, "FIN_WAIT2", "FIN_WAIT_2");
    put(SocketState.TIME_WAIT, "TIME_WAIT");
    put(SocketState.CLOSE, "CLOSE", "CLOSED");
    put(SocketState.CLOSE_WAIT, "CLOSE_WAIT");
    put(SocketState.LAST_ACK, "LAST_ACK");
    put(SocketState.LISTEN, "LISTEN");
    put(SocketState.CLOSING, "CLOSING");
    put(SocketState.NEW_SYN_RECV, "NEW_SYN_RECV");
    put(SocketState.UNCONN, "UNCONN");
    put(SocketState.UNKNOWN, "UNKNOWN");
  }

  private StateNames() {}

  private static void put(SocketState state, String... words) {
    for (String w : words) {
      WORDS.put(w, state);
    }
  }

  /** The state a word names, or {@code null} when it names none. Case and dash/underscore do not matter. */
  public static SocketState parse(String word) {
    if (word.isEmpty() || word.length() > 16) {
      return null;
    }
    return WORDS.get(word.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
