package dev.portdoctor.os.text;

import java.util.Set;

/**
 * Recognizes the lines people paste around a socket table that are not rows: a shell prompt with the
 * command after it ({@code user@host:~$ sudo ss -ltnp}, {@code [root@web ~]# netstat -tulpn},
 * {@code C:\Users\x>netstat -ano | findstr :8080}, {@code PS C:\> netstat -aon}), a bare prompt
 * ({@code dev@devvm:~$}), or the command alone ({@code ss -tauepnn}, {@code cat /proc/net/tcp}). Such
 * lines are left out without a note: they hold no socket. A line is taken for one only when, after an
 * optional prompt, its first word names a command that prints or filters these tables, or nothing
 * follows the prompt; a row never starts that way.
 */
public final class Prompts {
  private static final Set<String> COMMANDS = Set.of("netstat", "ss", "lsof", "cat", "grep", "egrep", "head",
      "tail", "sudo", "doas", "findstr", "find", "netsh", "get-nettcpconnection", "get-netudpendpoint", "more",
      "less", "watch", "awk", "sort", "sed", "cut", "select-string", "powershell", "sh", "bash", "docker",
      "kubectl", "nsenter", "ip", "fuser", "tasklist", "rpm", "echo", "date", "clear");

  private Prompts() {}

  /** True for a prompt line, a prompt with a command after it, or a command line without a prompt. */
  public static boolean isCommandLine(String line) {
    String s = Lines.unquote(line).strip();
    while (s.startsWith("`")) {
      s = s.substring(1).strip();
    }
    if (s.isEmpty()) {
      return false;
    }
    String rest = afterPrompt(s);
    if (rest == null) {
      rest = s;
    } else if (rest.isEmpty()) {
      return true;
    }
    int space = rest.indexOf(' ');
    String word = (space < 0 ? rest : rest.substring(0, space)).toLowerCase(java.util.Locale.ROOT);
    int slash = word.lastIndexOf('/');
    if (slash >= 0 && slash < word.length() - 1) {
      word = word.substring(slash + 1); // /usr/sbin/ss
    }
    if (word.endsWith(".exe")) {
      word = word.substring(0, word.length() - 4);
    }
    return COMMANDS.contains(word);
  }

  /**
   * What follows a prompt at the start of {@code s}, or null when {@code s} does not start with one.
   * Prompts: {@code user@host:dir$ }, {@code user@host dir % }, {@code [user@host dir]# },
   * {@code C:\dir>}, {@code PS C:\dir> }, {@code (venv) C:\dir>}, {@code $ }, {@code # },
   * {@code % }, {@code > }, {@code ➜  dir }.
   */
  static String afterPrompt(String s) {
    String t = s;
    if (t.startsWith("(")) { // (venv) C:\x> or (base) user@host:~$
      int close = t.indexOf(") ");
      if (close > 0 && close < 64) {
        t = t.substring(close + 2).strip();
      }
    }
    if (t.startsWith("PS ") && t.length() > 5 && t.charAt(4) == ':' && t.indexOf('>') > 0) {
      return t.substring(t.indexOf('>') + 1).strip();
    }
    if (t.length() > 2 && Character.isLetter(t.charAt(0)) && t.charAt(1) == ':' && t.charAt(2) == '\\') {
      int gt = t.indexOf('>');
      return gt < 0 ? null : t.substring(gt + 1).strip();
    }
    if (t.startsWith("\u279c")) { // oh-my-zsh: ➜  ~ netstat
      String r = t.substring(1).strip();
      int space = r.indexOf(' ');
      return space < 0 ? "" : r.substring(space + 1).strip();
    }
    if ((t.startsWith("$") || t.startsWith("#") || t.startsWith("%") || t.startsWith(">"))
        && (t.length() == 1 || t.charAt(1) == ' ')) {
      return t.substring(1).strip();
    }
    int end = promptEnd(t);
    return end < 0 ? null : t.substring(end).strip();
  }

  /** The end of a {@code user@host...$}, {@code [user@host ...]#} or {@code host:dir $} prompt, or -1. */
  private static int promptEnd(String t) {
    int limit = Math.min(t.length(), 160);
    boolean at = t.indexOf('@') >= 0 && t.indexOf('@') < limit;
    boolean bracket = t.startsWith("[");
    for (int i = 1; i < limit; i++) {
      char c = t.charAt(i);
      if ((c == '$' || c == '#' || c == '%') && (i + 1 == t.length() || t.charAt(i + 1) == ' ')) {
        String head = t.substring(0, i);
        if ((at && head.indexOf('@') > 0) || (bracket && head.endsWith("]")) || head.indexOf(':') > 0
            || head.endsWith(" ~") || head.endsWith(" ")) {
          return i + 1;
        }
        return -1;
      }
    }
    return -1;
  }
}
