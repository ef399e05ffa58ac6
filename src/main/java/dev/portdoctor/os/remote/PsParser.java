package dev.portdoctor.os.remote;

import dev.portdoctor.core.ProcessInfo;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Parses {@code ps -A -ww -o pid=,ppid=,uid=,user=,lstart=,args=} as procps (Linux) and BSD ps (macOS)
 * print it, run with {@code TZ=UTC LC_ALL=C}: no header; numbers right-aligned; {@code lstart} is the
 * C locale's {@code Fri Dec  4 21:07:45 2026} (five words, the day padded with a blank); the command
 * line is the rest of the line, as ps prints it (procps shows control characters as {@code ?}).
 *
 * <p>The name of a process is the file name of its first word, without a trailing {@code :}: servers
 * that rewrite their command line ({@code nginx: master process ...}, {@code sshd: root@notty}) keep
 * their own name first. A line that does not fit is skipped; the first process seen for a PID wins.
 */
public final class PsParser {
  private static final DateTimeFormatter LSTART = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);

  private PsParser() {}

  /** The processes by PID, in the order ps printed them. */
  public static Map<Long, ProcessInfo> parse(String text) {
    Map<Long, ProcessInfo> out = new LinkedHashMap<>();
    for (String line : text.split("\n", -1)) {
      ProcessInfo p = line(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
      if (p != null) {
        out.putIfAbsent(p.pid(), p);
      }
    }
    return out;
  }

  /** One line, or null when it is not a process row. */
  static ProcessInfo line(String line) {
    int[] pos = {0};
    String pid = word(line, pos);
    String ppid = word(line, pos);
    String uid = word(line, pos);
    String user = word(line, pos);
    String[] start = new String[5];
    for (int i = 0; i < 5; i++) {
      start[i] = word(line, pos);
    }
    if (start[4] == null || !digits(pid) || !digits(ppid) || !digits(uid)) {
      return null;
    }
    String args = line.substring(Math.min(line.length(), pos[0])).strip();
    long p = Long.parseLong(pid);
    long pp = Long.parseLong(ppid);
    Optional<java.time.Instant> started;
    try {
      String when = start[0] + " " + start[1] + " " + start[2] + " " + start[3] + " " + start[4];
      started = Optional.of(LocalDateTime.parse(when, LSTART).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException e) {
      return null;
    }
    OptionalInt u = uid.length() <= 9 ? OptionalInt.of(Integer.parseInt(uid)) : OptionalInt.empty();
    return new ProcessInfo(p, pp > 0 || p == 1 ? OptionalLong.of(pp) : OptionalLong.empty(), name(args),
        Optional.empty(), args.isEmpty() ? Optional.empty() : Optional.of(args), Optional.of(user), u, started);
  }

  /** The lstart words exactly as ps printed them (blanks collapsed), for the PID-reuse guard. */
  static String lstartOf(String line) {
    int[] pos = {0};
    for (int i = 0; i < 4; i++) {
      word(line, pos);
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      String w = word(line, pos);
      if (w == null) {
        return "";
      }
      b.append(i == 0 ? "" : " ").append(w);
    }
    return b.toString();
  }

  /** {@code Fri Dec 4 21:07:45 2026}, as ps prints lstart under TZ=UTC with the blanks collapsed. */
  public static String lstart(java.time.Instant t) {
    return LSTART.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
  }

  static String name(String args) {
    if (args.isEmpty()) {
      return "?";
    }
    if (args.startsWith("[") && args.indexOf(']') > 0) {
      return args.substring(1, args.indexOf(']')); // a kernel thread: [kthreadd]
    }
    int end = args.indexOf(' ');
    String first = end < 0 ? args : args.substring(0, end);
    int slash = first.lastIndexOf('/');
    String base = slash >= 0 && slash < first.length() - 1 ? first.substring(slash + 1) : first;
    if (base.endsWith(":") && base.length() > 1) {
      base = base.substring(0, base.length() - 1);
    }
    return base;
  }

  private static boolean digits(String s) {
    return s != null && !s.isEmpty() && s.length() <= 18 && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static String word(String line, int[] pos) {
    int i = pos[0];
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    if (i >= line.length()) {
      pos[0] = i;
      return null;
    }
    int j = i;
    while (j < line.length() && line.charAt(j) != ' ' && line.charAt(j) != '\t') {
      j++;
    }
    pos[0] = j;
    return line.substring(i, j);
  }
}
