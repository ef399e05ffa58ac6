package dev.portdoctor.tui;

import dev.portdoctor.core.KillReport;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.WatchModel;
import dev.portdoctor.core.WatchModel.Row;
import dev.portdoctor.render.Style;
import dev.portdoctor.render.Text;
import dev.portdoctor.render.TextReport;
import dev.portdoctor.render.WatchScreen;
import dev.portdoctor.render.WatchScreen.Line;
import dev.portdoctor.render.WatchScreen.SortKey;
import dev.portdoctor.render.WatchScreen.Tone;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the full-screen {@code watch} does with each look at the table and each key, without a
 * terminal: the app ({@link WatchApp}) reads keys and draws the lines this returns. Keys: up/down,
 * page up/down, home/end select a row; {@code s} sorts by the next key (port, pid, process, state);
 * {@code /} filters; {@code k} ends what holds the selected row's port, the way {@code portdoctor kill}
 * does (the same plan and refusals), after a question that only {@code y} answers yes; {@code q} quits.
 */
final class WatchController {
  /** The two steps of {@code kill}, as {@code portdoctor kill PORT} takes them. */
  interface Kills {
    KillReport plan(int port, Protocol protocol);

    KillReport execute(KillReport plan);
  }

  enum Mode { BROWSE, FILTER, CONFIRM, KILLING }

  private static final int MAX_PANEL = 12;

  private final WatchModel model;
  private final Supplier<List<SocketReport>> snapshots;
  private final Kills kills;
  private final String title;
  private final Duration interval;
  private final boolean showRemote;

  private Mode mode = Mode.BROWSE;
  private SortKey sort = SortKey.PORT;
  private String filter = "";
  private StringBuilder typing = new StringBuilder();
  private Optional<WatchModel.Key> selectedKey = Optional.empty();
  private int selected;
  private int top;
  private int pageRows = 10;
  private List<Line> panel = List.of();
  private KillReport pendingPlan;

  WatchController(WatchModel model, Supplier<List<SocketReport>> snapshots, Kills kills, String title,
      Duration interval, boolean showRemote) {
    this.model = model;
    this.snapshots = snapshots;
    this.kills = kills;
    this.title = title;
    this.interval = interval;
    this.showRemote = showRemote;
  }

  Mode mode() {
    return mode;
  }

  /** One look at the socket table. */
  void refresh(Instant now) {
    model.update(snapshots.get(), now);
  }

  /** Handles one key; false when the user asked to quit. */
  boolean key(Keys.Key k, Instant now) {
    if (k.kind() == Keys.Kind.INTERRUPT || k.kind() == Keys.Kind.EOF) {
      return false;
    }
    switch (mode) {
      case FILTER -> filterKey(k);
      case CONFIRM -> confirmKey(k);
      case KILLING -> { } // keys wait until the kill is done
      default -> {
        return browseKey(k, now);
      }
    }
    return true;
  }

  private boolean browseKey(Keys.Key k, Instant now) {
    if (k.kind() != Keys.Kind.NONE) {
      panel = List.of(); // a result or message stays until the next key
    }
    switch (k.kind()) {
      case UP -> move(-1, now);
      case DOWN -> move(1, now);
      case PAGE_UP -> move(-pageRows, now);
      case PAGE_DOWN -> move(pageRows, now);
      case HOME -> move(Integer.MIN_VALUE / 2, now);
      case END -> move(Integer.MAX_VALUE / 2, now);
      case CHAR -> {
        switch (k.ch()) {
          case 'q', 'Q' -> {
            return false;
          }
          case 's' -> sort = sort.next();
          case 'S' -> sort = sort.previous();
          case '/' -> {
            mode = Mode.FILTER;
            typing = new StringBuilder(filter);
          }
          case 'k', 'K' -> askKill(now);
          default -> { }
        }
      }
      case ESCAPE -> filter = "";
      default -> { }
    }
    return true;
  }

  private void filterKey(Keys.Key k) {
    switch (k.kind()) {
      case ENTER -> mode = Mode.BROWSE;
      case ESCAPE -> {
        filter = "";
        mode = Mode.BROWSE;
      }
      case BACKSPACE -> {
        if (typing.length() > 0) {
          typing.setLength(typing.length() - 1);
        }
        filter = typing.toString();
      }
      case CHAR -> {
        if (typing.length() < 200) {
          typing.append(k.ch());
        }
        filter = typing.toString();
      }
      default -> { }
    }
  }

  private void confirmKey(Keys.Key k) {
    if (k.kind() == Keys.Kind.NONE) {
      return;
    }
    if (k.kind() == Keys.Kind.CHAR && (k.ch() == 'y' || k.ch() == 'Y')) {
      mode = Mode.KILLING;
      List<Line> p = new ArrayList<>(panel);
      p.add(Line.of("ending them (up to 5 s for the polite stop, then by force)...", Tone.NOTICE));
      panel = cap(p);
      return;
    }
    pendingPlan = null;
    mode = Mode.BROWSE;
    panel = List.of(Line.of("nothing was ended", Tone.NOTICE));
  }

  /** True when the user said yes and the kill waits to be run ({@link #runKill}), after a redraw. */
  boolean killPending() {
    return mode == Mode.KILLING && pendingPlan != null;
  }

  /** Runs the kill the user confirmed and shows its result. */
  void runKill() {
    KillReport plan = pendingPlan;
    pendingPlan = null;
    try {
      panel = cap(report(kills.execute(plan), false));
    } catch (RuntimeException e) {
      panel = List.of(Line.of("kill failed: " + Text.escape(String.valueOf(e.getMessage())), Tone.NOTICE));
    }
    mode = Mode.BROWSE;
  }

  private void askKill(Instant now) {
    List<Row> rows = visible(now);
    if (rows.isEmpty() || selected < 0 || selected >= rows.size()) {
      panel = List.of(Line.of("no row selected", Tone.NOTICE));
      return;
    }
    Row r = rows.get(selected);
    SocketEntry s = r.report().socket();
    if (r.status() == WatchModel.Status.CLOSED) {
      panel = List.of(Line.of("that socket is closed: nothing to end", Tone.NOTICE));
      return;
    }
    KillReport plan;
    try {
      plan = kills.plan(s.local().port(), s.protocol());
    } catch (RuntimeException e) {
      panel = List.of(Line.of("cannot plan the kill: " + Text.escape(String.valueOf(e.getMessage())), Tone.NOTICE));
      return;
    }
    List<Line> p = report(plan, true);
    if (plan.status() == KillReport.Status.PLANNED) {
      pendingPlan = plan;
      mode = Mode.CONFIRM;
    } else {
      p.add(Line.of("nothing to end: " + Text.escape(plan.message()), Tone.NOTICE));
    }
    panel = cap(p);
  }

  private static List<Line> report(KillReport r, boolean planOnly) {
    StringWriter sw = new StringWriter();
    new TextReport(new PrintWriter(sw), new Style(false), 0).killPlans(List.of(r), planOnly);
    List<Line> out = new ArrayList<>();
    for (String l : sw.toString().split("\\R")) {
      if (!l.isEmpty()) {
        out.add(Line.of(l, Tone.NOTICE));
      }
    }
    return out;
  }

  private static List<Line> cap(List<Line> p) {
    if (p.size() <= MAX_PANEL) {
      return List.copyOf(p);
    }
    List<Line> out = new ArrayList<>(p.subList(0, MAX_PANEL - 2));
    out.add(Line.of("  ... " + (p.size() - MAX_PANEL + 1) + " more line(s)", Tone.NOTICE));
    out.add(p.get(p.size() - 1));
    return out;
  }

  private List<Row> visible(Instant now) {
    return visible(model.rows(now));
  }

  private List<Row> visible(List<Row> all) {
    List<Row> rows = WatchScreen.visible(all, sort, filter);
    // the selection follows its socket when rows come and go; if that socket is gone, the same place
    if (selectedKey.isPresent()) {
      for (int i = 0; i < rows.size(); i++) {
        if (rows.get(i).key().equals(selectedKey.get())) {
          selected = i;
          break;
        }
      }
    }
    selected = rows.isEmpty() ? 0 : Math.max(0, Math.min(selected, rows.size() - 1));
    selectedKey = rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(selected).key());
    return rows;
  }

  private void move(int by, Instant now) {
    List<Row> rows = visible(now);
    if (rows.isEmpty()) {
      return;
    }
    long to = (long) selected + by;
    selected = (int) Math.max(0, Math.min(rows.size() - 1, to));
    selectedKey = Optional.of(rows.get(selected).key());
  }

  /** The screen, {@code height} lines of at most {@code width} characters. */
  List<Line> frame(int width, int height, Instant now) {
    List<Row> all = model.rows(now);
    List<Row> rows = visible(all);
    int added = 0;
    int closed = 0;
    for (Row r : all) {
      if (r.status() == WatchModel.Status.NEW) {
        added++;
      } else if (r.status() == WatchModel.Status.CLOSED) {
        closed++;
      }
    }
    int fit = WatchScreen.rowsThatFit(height, panel.size());
    pageRows = Math.max(1, fit - 1);
    if (selected < top) {
      top = selected;
    } else if (selected >= top + fit) {
      top = selected - fit + 1;
    }
    top = Math.max(0, Math.min(top, Math.max(0, rows.size() - fit)));
    WatchScreen.Frame f = new WatchScreen.Frame(title, interval, now, rows, rows.isEmpty() ? -1 : selected, top,
        model.openCount(), added, closed, model.processCounts(), sort, filter, model.fadeTime(), panel, footer(),
        showRemote);
    return WatchScreen.render(f, width, height);
  }

  private Line footer() {
    return switch (mode) {
      case FILTER -> Line.of("filter: " + Text.escape(typing.toString()) + "_   (Enter: keep, Esc: clear;"
          + " port:N pid:N process:NAME state:S)", Tone.PROMPT);
      case CONFIRM -> Line.of("End these processes? [y/N]", Tone.PROMPT);
      case KILLING -> Line.of("ending...", Tone.PROMPT);
      case BROWSE -> Line.of("q quit  up/down select  s sort (" + sort.label() + ")  / filter  k kill the selected"
          + " port's holders", Tone.FOOTER);
    };
  }
}
