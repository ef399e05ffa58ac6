package dev.portdoctor.render;

import dev.portdoctor.core.Holder;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.WatchModel;
import dev.portdoctor.core.WatchModel.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The full-screen view of {@code watch} as lines of text, each with one tone (new, closed, the title...)
 * that the terminal turns into colour: no terminal library here, so every screen is testable as text.
 * Every piece of untrusted text (process names, command lines) is escaped ({@link Text#escape}).
 *
 * <pre>
 * portdoctor watch  tcp listeners, all ports  every 1s  12:00:01  2 open, 1 new, 1 closed  sort: port
 *   PROTO  LOCAL          STATE   PID   PROCESS  COMMAND
 * + tcp    0.0.0.0:8080   LISTEN  123   python3  python3 -m http.server 8080
 *   tcp    127.0.0.1:5432 LISTEN  456   postgres /usr/lib/postgresql/16/bin/postgres
 * - tcp    [::]:3000      LISTEN  789   node     node server.js        (closed 2s ago)
 * processes: postgres (456) 1, python3 (123) 1
 * q quit  s sort: port  / filter  k kill  arrows select
 * </pre>
 */
public final class WatchScreen {
  private WatchScreen() {}

  /** What a line is, for its colour. */
  public enum Tone { TITLE, HEADER, NORMAL, NEW, CLOSED, FOOTER, PROMPT, NOTICE }

  /**
   * One line of the screen.
   *
   * @param fade for {@link Tone#CLOSED}: how far it has faded, 0 to 1
   * @param selected the row the cursor is on (shown inverted)
   */
  public record Line(String text, Tone tone, double fade, boolean selected) {
    public static Line of(String text, Tone tone) {
      return new Line(text, tone, 0, false);
    }
  }

  /** The orders a person can sort by. */
  public enum SortKey {
    PORT, PID, PROCESS, STATE;

    public SortKey next() {
      return switch (this) {
        case PORT -> PID;
        case PID -> PROCESS;
        case PROCESS -> STATE;
        case STATE -> PORT;
      };
    }

    public SortKey previous() {
      return switch (this) {
        case PORT -> STATE;
        case PID -> PORT;
        case PROCESS -> PID;
        case STATE -> PROCESS;
      };
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Everything one frame shows.
   *
   * @param title what is watched ({@code tcp listeners, all ports})
   * @param rows the rows after filter and sort ({@link #visible})
   * @param selected index into rows of the cursor's row, or -1
   * @param top index of the first row on screen
   * @param open how many sockets are open (before the filter)
   * @param added open sockets still marked new (they appeared within the highlight time)
   * @param closed closed sockets still shown, fading
   * @param panel lines shown above the footer (a kill plan and its question, a result)
   * @param footer the last line: keys, the filter being typed, a question
   */
  public record Frame(String title, Duration interval, Instant now, List<Row> rows, int selected, int top,
      int open, int added, int closed, List<WatchModel.ProcessCount> counts, SortKey sort, String filter,
      Duration fadeTime, List<Line> panel, Line footer, boolean showRemote) {
    public Frame {
      rows = List.copyOf(rows);
      counts = List.copyOf(counts);
      panel = List.copyOf(panel);
    }
  }

  /** The lines of the title, header and footer, around the rows: how many rows fit in {@code height}. */
  public static int rowsThatFit(int height, int panelLines) {
    return Math.max(1, height - 4 - panelLines);
  }

  /**
   * The rows that pass the filter, in the sort's order (ties: port, then protocol and address). The
   * open rows of {@link WatchModel#rows} come in port order already: by port, only the few closed ones
   * are put in their places (a sort of 30,000 rows on every look would cost more than the rest of the
   * screen).
   */
  public static List<Row> visible(List<Row> rows, SortKey sort, String filter) {
    Filter f = Filter.parse(filter);
    Comparator<Row> order = comparator(sort);
    List<Row> out = new ArrayList<>(rows.size());
    List<Row> closed = new ArrayList<>();
    for (Row r : rows) {
      if (!f.matches(r)) {
        continue;
      }
      if (sort == SortKey.PORT && r.status() == WatchModel.Status.CLOSED) {
        closed.add(r);
      } else {
        out.add(r);
      }
    }
    if (sort != SortKey.PORT) {
      out.sort(order);
      return out;
    }
    for (Row c : closed) {
      int at = java.util.Collections.binarySearch(out, c, order);
      out.add(at < 0 ? -at - 1 : at + 1, c);
    }
    return out;
  }

  static Comparator<Row> comparator(SortKey sort) {
    Comparator<Row> byPort = (a, b) -> {
      SocketEntry x = a.report().socket();
      SocketEntry y = b.report().socket();
      int c = Integer.compare(x.local().port(), y.local().port());
      if (c == 0) {
        c = x.protocol().compareTo(y.protocol());
      }
      if (c == 0) {
        c = Boolean.compare(x.local().isIpv6(), y.local().isIpv6());
      }
      if (c == 0) {
        c = x.local().address().compareTo(y.local().address());
      }
      if (c == 0) {
        c = x.state().compareTo(y.state());
      }
      if (c == 0) {
        c = x.remote().map(Object::toString).orElse("").compareTo(y.remote().map(Object::toString).orElse(""));
      }
      return c;
    };
    return switch (sort) {
      case PORT -> byPort;
      case PID -> Comparator.comparingLong(WatchScreen::firstPid).thenComparing(byPort);
      case PROCESS -> Comparator.comparing(WatchScreen::firstName).thenComparing(byPort);
      case STATE -> Comparator.comparing((Row r) -> r.report().socket().state().name()).thenComparing(byPort);
    };
  }

  private static long firstPid(Row r) {
    List<Holder> h = r.report().holders();
    return h.isEmpty() ? Long.MAX_VALUE : h.get(0).process().pid();
  }

  private static String firstName(Row r) {
    List<Holder> h = r.report().holders();
    return h.isEmpty() ? "\uffff" : h.get(0).process().name().toLowerCase(Locale.ROOT);
  }

  /**
   * What {@code /} filters by: words that must all match. {@code port:8080}, {@code pid:123},
   * {@code process:python} and {@code state:listen} look at that field (port and pid exactly, the others
   * as a part, any case); any other word is looked for in the whole row.
   */
  public record Filter(List<String> words) {
    public Filter {
      words = List.copyOf(words);
    }

    public static Filter parse(String text) {
      List<String> w = new ArrayList<>();
      for (String s : text.trim().split("\\s+")) {
        if (!s.isEmpty()) {
          w.add(s.toLowerCase(Locale.ROOT));
        }
      }
      return new Filter(w);
    }

    public boolean matches(Row r) {
      if (words.isEmpty()) {
        return true;
      }
      SocketReport rep = r.report();
      String all = null;
      for (String w : words) {
        int colon = w.indexOf(':');
        String field = colon > 0 ? w.substring(0, colon) : "";
        String value = colon > 0 ? w.substring(colon + 1) : w;
        boolean ok;
        switch (field) {
          case "port" -> ok = Integer.toString(rep.socket().local().port()).equals(value);
          case "pid" -> ok = rep.holders().stream().anyMatch(h -> Long.toString(h.process().pid()).equals(value));
          case "process" -> ok = rep.holders().stream()
              .anyMatch(h -> h.process().name().toLowerCase(Locale.ROOT).contains(value));
          case "state" -> ok = rep.socket().state().name().toLowerCase(Locale.ROOT).contains(value);
          default -> {
            if (all == null) {
              all = searchText(rep);
            }
            ok = all.contains(w);
          }
        }
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    private static String searchText(SocketReport r) {
      StringBuilder sb = new StringBuilder(WatchLines.describe(r));
      for (Holder h : r.holders()) {
        h.process().commandLine().ifPresent(c -> sb.append(' ').append(c));
      }
      return sb.toString().toLowerCase(Locale.ROOT);
    }
  }

  /** The frame as at most {@code height} lines of at most {@code width} characters. */
  public static List<Line> render(Frame f, int width, int height) {
    List<Line> out = new ArrayList<>(height);
    java.time.LocalTime lt = f.now().atZone(java.time.ZoneId.systemDefault()).toLocalTime();
    String time = two(lt.getHour()) + ":" + two(lt.getMinute()) + ":" + two(lt.getSecond());
    StringBuilder title = new StringBuilder("portdoctor watch  ").append(f.title())
        .append("  every ").append(seconds(f.interval())).append("  ").append(time)
        .append("  ").append(f.open()).append(" open")
        .append(", ").append(f.added()).append(" new, ").append(f.closed()).append(" closed");
    if (!f.filter().isEmpty()) {
      title.append("  filter: ").append(Text.escape(f.filter())).append(" (").append(f.rows().size())
          .append(" shown)");
    }
    title.append("  sort: ").append(f.sort().label());
    out.add(Line.of(cut(title.toString(), width), Tone.TITLE));

    List<String[]> cells = new ArrayList<>();
    cells.add(f.showRemote()
        ? new String[] {" ", "PROTO", "LOCAL", "REMOTE", "STATE", "PID", "PROCESS", "COMMAND"}
        : new String[] {" ", "PROTO", "LOCAL", "STATE", "PID", "PROCESS", "COMMAND"});
    int fit = rowsThatFit(height, f.panel().size());
    int end = Math.min(f.rows().size(), f.top() + fit);
    for (int i = f.top(); i < end; i++) {
      cells.add(cells(f.rows().get(i), f.showRemote(), f.now()));
    }
    int[] w = widths(cells);
    out.add(Line.of(join(cells.get(0), w, width), Tone.HEADER));
    for (int i = f.top(); i < end; i++) {
      Row r = f.rows().get(i);
      Tone tone = switch (r.status()) {
        case NEW -> Tone.NEW;
        case CLOSED -> Tone.CLOSED;
        case OPEN -> Tone.NORMAL;
      };
      out.add(new Line(join(cells.get(i - f.top() + 1), w, width), tone, r.fade(f.now(), f.fadeTime()),
          i == f.selected()));
    }
    if (f.rows().isEmpty()) {
      out.add(Line.of(f.filter().isEmpty() ? "  (no socket matches: waiting for one to appear)"
          : "  (no socket passes the filter '" + Text.escape(f.filter()) + "'; / to change it)", Tone.NOTICE));
    }
    while (out.size() < height - 2 - f.panel().size()) {
      out.add(Line.of("", Tone.NORMAL));
    }
    for (Line p : f.panel()) {
      out.add(new Line(cut(p.text(), width), p.tone(), p.fade(), p.selected()));
    }
    out.add(Line.of(cut(counts(f.counts()), width), Tone.FOOTER));
    out.add(new Line(cut(f.footer().text(), width), f.footer().tone(), 0, false));
    return out.size() > height ? out.subList(out.size() - height, out.size()) : out;
  }

  private static String two(int v) {
    return v < 10 ? "0" + v : Integer.toString(v);
  }

  static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
  }

  private static String counts(List<WatchModel.ProcessCount> counts) {
    if (counts.isEmpty()) {
      return "processes: none";
    }
    StringBuilder sb = new StringBuilder("processes: ");
    int n = 0;
    for (WatchModel.ProcessCount c : counts) {
      if (n++ > 0) {
        sb.append(", ");
      }
      sb.append(Text.escape(c.name())).append(" (").append(c.pid()).append(") ").append(c.sockets());
      if (sb.length() > 400) {
        sb.append(", ...");
        break;
      }
    }
    return sb.toString();
  }

  private static String[] cells(Row r, boolean remote, Instant now) {
    SocketReport rep = r.report();
    SocketEntry s = rep.socket();
    String mark = switch (r.status()) {
      case NEW -> "+";
      case CLOSED -> "-";
      case OPEN -> " ";
    };
    String pids;
    String names;
    String command = "";
    if (rep.holders().isEmpty()) {
      pids = WatchLines.placeholder(s);
      names = "";
    } else {
      java.util.Set<String> p = new java.util.LinkedHashSet<>();
      java.util.Set<String> n = new java.util.LinkedHashSet<>();
      for (Holder h : rep.holders()) {
        p.add(Long.toString(h.process().pid()));
        n.add(Text.escape(h.process().name()));
        if (command.isEmpty() && h.process().commandLine().isPresent()) {
          command = Text.escape(h.process().commandLine().get());
        }
      }
      pids = String.join(",", p);
      names = String.join(",", n);
    }
    if (r.closedAt().isPresent()) {
      long ago = Math.max(0, Duration.between(r.closedAt().get(), now).toSeconds());
      command = "(closed " + ago + "s ago) " + command;
    }
    String remoteText = s.remote().map(Object::toString).orElse("*");
    return remote
        ? new String[] {mark, s.protocol().label(), s.local().toString(), remoteText, s.state().name(), pids, names, command}
        : new String[] {mark, s.protocol().label(), s.local().toString(), s.state().name(), pids, names, command};
  }

  /** Column widths: each as wide as its widest cell, within limits; the last takes what is left. */
  private static int[] widths(List<String[]> rows) {
    int cols = rows.get(0).length;
    int[] w = new int[cols];
    for (String[] r : rows) {
      for (int c = 0; c < cols - 1; c++) {
        w[c] = Math.max(w[c], Math.min(r[c].length(), c == cols - 2 ? 24 : 47));
      }
    }
    return w;
  }

  private static String join(String[] cells, int[] w, int width) {
    StringBuilder sb = new StringBuilder(width + 8);
    for (int c = 0; c < cells.length; c++) {
      String v = cells[c];
      if (c < cells.length - 1) {
        v = Text.truncate(v, w[c]);
        sb.append(v);
        sb.append(" ".repeat(Math.max(0, w[c] - v.length() + (c == 0 ? 1 : 2))));
      } else {
        sb.append(v);
      }
    }
    int e = sb.length();
    while (e > 0 && sb.charAt(e - 1) == ' ') {
      e--;
    }
    return cut(sb.substring(0, e), width);
  }

  private static String cut(String s, int width) {
    return width > 0 ? Text.truncate(s, width) : s;
  }
}
