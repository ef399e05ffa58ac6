package dev.portdoctor.tui;

import dev.portdoctor.core.KillOptions;
import dev.portdoctor.core.KillReport;
import dev.portdoctor.core.Killer;
import dev.portdoctor.core.PortDoctor;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.WatchModel;
import dev.portdoctor.render.WatchScreen.Line;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The full-screen {@code watch} on a terminal, through JLine 3 (the only class that uses it, so that
 * no other command loads it): the alternate screen, raw keys, a redraw of only what changed
 * ({@link Display}), and the terminal as it was on every way out: {@code q}, Ctrl-C, end of input, an
 * error, or SIGTERM (a shutdown hook). A resize (SIGWINCH) redraws at the new size.
 */
public final class WatchApp {
  /** How often, at most, keys and signals are looked at while it waits for the next look. */
  private static final long POLL_MS = 100;

  private WatchApp() {}

  /**
   * What to show and how often.
   *
   * @param looks stop after this many looks at the table (0: no limit)
   * @param duration stop after this long (null: no limit)
   * @param color colours allowed (NO_COLOR unset); bold, faint and inverse are used either way
   */
  public record Options(String title, Duration interval, boolean showRemote, boolean color, long looks,
      Duration duration) {}

  /**
   * Runs until the user quits; returns the exit code (0; 130 after Ctrl-C).
   *
   * @throws PortDoctorException when the terminal cannot be opened
   */
  public static int run(PortDoctor doctor, Supplier<List<SocketReport>> snapshots, Options options) {
    dev.portdoctor.core.Timing.mark("watch: starting the terminal");
    Terminal terminal;
    try {
      terminal = TerminalBuilder.builder().system(true).jni(true).exec(true).jna(false).jansi(false).ffm(false)
          .dumb(false).nativeSignals(true).build();
    } catch (IOException | RuntimeException e) {
      throw new PortDoctorException(PortDoctorException.INTERNAL,
          "cannot open the terminal for the full-screen view (" + e.getMessage() + "); use --lines", e);
    }
    dev.portdoctor.core.Timing.mark("watch: terminal open");
    WatchModel model = new WatchModel(Duration.ofSeconds(3), Duration.ofSeconds(5));
    WatchController controller = new WatchController(model, snapshots, kills(doctor), options.title(),
        options.interval(), options.showRemote());
    AtomicBoolean resized = new AtomicBoolean();
    AtomicBoolean interrupted = new AtomicBoolean();
    Attributes saved = terminal.enterRawMode();
    AtomicBoolean restored = new AtomicBoolean();
    Runnable restore = () -> {
      if (restored.compareAndSet(false, true)) {
        terminal.puts(Capability.cursor_visible);
        terminal.puts(Capability.keypad_local);
        terminal.puts(Capability.exit_ca_mode);
        terminal.setAttributes(saved);
        terminal.flush();
      }
    };
    Thread hook = new Thread(restore, "watch-restore-terminal");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      terminal.handle(Terminal.Signal.WINCH, s -> resized.set(true));
      terminal.handle(Terminal.Signal.INT, s -> interrupted.set(true));
      terminal.puts(Capability.enter_ca_mode);
      terminal.puts(Capability.keypad_xmit);
      terminal.puts(Capability.cursor_invisible);
      terminal.flush();
      return loop(terminal, controller, options, resized, interrupted);
    } catch (IOException e) {
      throw new PortDoctorException(PortDoctorException.INTERNAL, "terminal: " + e.getMessage(), e);
    } finally {
      restore.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already: the hook has run or runs (restore is idempotent)
      }
      try {
        terminal.close();
      } catch (IOException e) {
        // the terminal is restored; nothing more to do
      }
    }
  }

  private static int loop(Terminal terminal, WatchController controller, Options options, AtomicBoolean resized,
      AtomicBoolean interrupted) throws IOException {
    Display display = new Display(terminal, true);
    Size size = terminal.getSize();
    display.resize(size.getRows(), size.getColumns());
    NonBlockingReader reader = terminal.reader();
    long start = System.nanoTime();
    long interval = options.interval().toNanos();
    controller.refresh(Instant.now());
    long looks = 1;
    long next = start + interval;
    boolean firstFrame = true;
    boolean dirty = true; // drawn only when something changed: a look, a key, a resize (30,000 rows sort)
    while (true) {
      if (resized.getAndSet(false)) {
        size = terminal.getSize();
        display.clear();
        display.resize(size.getRows(), size.getColumns());
        dirty = true;
      }
      if (dirty) {
        draw(display, controller.frame(size.getColumns(), size.getRows(), Instant.now()), size, options.color());
        dirty = false;
        if (firstFrame) {
          dev.portdoctor.core.Timing.mark("watch: first frame");
          firstFrame = false;
        }
      }
      if (controller.killPending()) {
        controller.runKill();
        controller.refresh(Instant.now());
        looks++;
        next = System.nanoTime() + interval;
        dirty = true;
        continue;
      }
      if (interrupted.get()) {
        return 130;
      }
      long wait = Math.max(1, Math.min(POLL_MS, (next - System.nanoTime()) / 1_000_000));
      Keys.Key key = Keys.next(reader::read, wait);
      if (interrupted.get() || key.kind() == Keys.Kind.INTERRUPT) {
        return 130;
      }
      if (key.kind() != Keys.Kind.NONE) {
        dirty = true;
        if (!controller.key(key, Instant.now())) {
          return 0;
        }
      }
      long t = System.nanoTime();
      if (t - next >= 0 && controller.mode() != WatchController.Mode.KILLING) {
        if (options.looks() > 0 && looks >= options.looks()) {
          return 0;
        }
        if (options.duration() != null && t - start >= options.duration().toNanos()) {
          return 0;
        }
        controller.refresh(Instant.now());
        looks++;
        dirty = true;
        next += interval;
        if (next - System.nanoTime() < 0) {
          next = System.nanoTime() + interval; // a look took longer than the interval: do not pile up
        }
      }
    }
  }

  private static void draw(Display display, List<Line> lines, Size size, boolean color) {
    List<AttributedString> out = new ArrayList<>(lines.size());
    int cols = Math.max(1, size.getColumns());
    for (Line l : lines) {
      AttributedString a = new AttributedString(l.text(), style(l, color));
      if (a.columnLength() > cols) {
        a = a.columnSubSequence(0, cols);
      }
      out.add(a);
    }
    display.update(out, size.cursorPos(Math.max(0, size.getRows() - 1), 0));
  }

  static AttributedStyle style(Line l, boolean color) {
    AttributedStyle s = AttributedStyle.DEFAULT;
    switch (l.tone()) {
      case TITLE -> s = s.bold().inverse();
      case HEADER -> s = s.bold();
      case NEW -> s = color ? s.bold().foreground(AttributedStyle.GREEN) : s.bold();
      case CLOSED -> {
        // fading: from light grey to dark grey on the 256-colour grey ramp as it ages
        s = s.faint();
        if (color) {
          s = s.foreground(250 - (int) Math.round(l.fade() * 10));
        }
      }
      case PROMPT -> s = color ? s.bold().foreground(AttributedStyle.YELLOW) : s.bold();
      case NOTICE -> s = color ? s.foreground(AttributedStyle.YELLOW) : s;
      default -> { }
    }
    return l.selected() ? s.inverse() : s;
  }

  /** The kill of {@code portdoctor kill PORT}: its defaults (SIGTERM, 5 s, watch 1 s for a respawn). */
  private static WatchController.Kills kills(PortDoctor doctor) {
    return new WatchController.Kills() {
      @Override
      public KillReport plan(int port, Protocol protocol) {
        return new Killer(doctor, o -> { }).plan(port, protocol, options(protocol));
      }

      @Override
      public KillReport execute(KillReport plan) {
        return new Killer(doctor, o -> { }).execute(plan, options(plan.protocol()));
      }

      private KillOptions options(Protocol protocol) {
        return new KillOptions(Set.of(protocol), false, false, "TERM", Duration.ofSeconds(5), Duration.ofSeconds(1),
            false);
      }
    };
  }
}
