package dev.portdoctor.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.Holder;
import dev.portdoctor.core.KillReport;
import dev.portdoctor.core.Owner;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.core.WatchModel;
import dev.portdoctor.render.WatchScreen.Line;
import dev.portdoctor.tui.Keys.Key;
import dev.portdoctor.tui.Keys.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The keys of the full-screen watch, without a terminal: select, sort, filter, and the kill question. */
class WatchControllerTest {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  private final List<SocketReport> table = new ArrayList<>();
  private final List<String> killed = new ArrayList<>();
  private final List<String> planned = new ArrayList<>();
  private KillReport.Status planStatus = KillReport.Status.PLANNED;

  private static SocketReport listener(int port, long pid, String name) {
    ProcessInfo p = new ProcessInfo(pid, OptionalLong.of(1), name, Optional.empty(), Optional.of(name + " --serve"),
        Optional.of("root"), OptionalInt.of(0), Optional.empty());
    SocketEntry s = new SocketEntry(Protocol.TCP, new Endpoint("127.0.0.1", port), Optional.empty(), SocketState.LISTEN,
        OptionalInt.of(0), OptionalLong.of(port * 10L), OwnerStatus.KNOWN, List.of(Owner.of(pid)));
    return new SocketReport(s, List.of(new Holder(p, List.of(), 0)), Optional.empty(), Optional.empty());
  }

  private WatchController controller() {
    WatchController.Kills kills = new WatchController.Kills() {
      @Override
      public KillReport plan(int port, Protocol protocol) {
        planned.add(port + "/" + protocol.label());
        SocketReport holder = table.stream().filter(r -> r.socket().local().port() == port).findFirst().orElseThrow();
        ProcessInfo p = holder.holders().get(0).process();
        List<dev.portdoctor.core.KillTarget> plan = List.of(new dev.portdoctor.core.KillTarget(p, "holder",
            Optional.empty(), Optional.empty(),
            planStatus == KillReport.Status.DENIED ? Optional.of("it is portdoctor itself") : Optional.empty(), false));
        return new KillReport(port, protocol, planStatus, List.of(holder), plan, List.of(), Optional.empty(),
            Optional.empty(), planStatus == KillReport.Status.DENIED ? "will not end pid " + p.pid() : "would end 1");
      }

      @Override
      public KillReport execute(KillReport plan) {
        killed.add(plan.port() + "/" + plan.protocol().label());
        table.removeIf(r -> r.socket().local().port() == plan.port());
        return new KillReport(plan.port(), plan.protocol(), KillReport.Status.FREED, plan.holders(), plan.plan(),
            List.of(), Optional.of(true), Optional.empty(), "port " + plan.port() + "/tcp is free now");
      }
    };
    return new WatchController(new WatchModel(Duration.ofSeconds(3), Duration.ofSeconds(5)), () -> List.copyOf(table),
        kills, "tcp listeners, all ports", Duration.ofSeconds(1), false);
  }

  private static String screen(List<Line> lines) {
    return lines.stream().map(Line::text).collect(Collectors.joining("\n"));
  }

  private static String selectedRow(List<Line> lines) {
    return lines.stream().filter(Line::selected).map(Line::text).findFirst().orElse("(none)");
  }

  @Test
  void arrowsMoveTheSelectionAndItFollowsItsSocketWhenRowsComeAndGo() {
    table.add(listener(80, 10, "nginx"));
    table.add(listener(443, 10, "nginx"));
    WatchController c = controller();
    c.refresh(T0);
    assertTrue(selectedRow(c.frame(120, 20, T0)).contains(":80 "), "the first row is selected at the start");
    c.key(Key.of(Kind.DOWN), T0);
    assertTrue(selectedRow(c.frame(120, 20, T0)).contains(":443 "));
    table.add(0, listener(22, 5, "sshd"));
    c.refresh(T0.plusSeconds(1));
    assertTrue(selectedRow(c.frame(120, 20, T0.plusSeconds(1))).contains(":443 "), "still on 443 after 22 came");
    c.key(Key.of(Kind.HOME), T0);
    assertTrue(selectedRow(c.frame(120, 20, T0.plusSeconds(1))).contains(":22 "));
  }

  @Test
  void sortCyclesThroughPortPidProcessAndState() {
    table.add(listener(80, 30, "b-server"));
    table.add(listener(443, 20, "c-server"));
    table.add(listener(8080, 10, "a-server"));
    WatchController c = controller();
    c.refresh(T0);
    String byPort = screen(c.frame(120, 20, T0));
    assertTrue(byPort.indexOf(":80 ") < byPort.indexOf(":443 ") && byPort.indexOf(":443 ") < byPort.indexOf(":8080 "));
    c.key(Key.ch('s'), T0);
    String byPid = screen(c.frame(120, 20, T0));
    assertTrue(byPid.contains("sort: pid"), byPid);
    assertTrue(byPid.indexOf(":8080 ") < byPid.indexOf(":443 ") && byPid.indexOf(":443 ") < byPid.indexOf(":80 "));
    c.key(Key.ch('s'), T0);
    String byName = screen(c.frame(120, 20, T0));
    assertTrue(byName.contains("sort: process"), byName);
    assertTrue(byName.indexOf("a-server") < byName.indexOf("b-server") && byName.indexOf("b-server") < byName.indexOf("c-server"));
    c.key(Key.ch('s'), T0);
    assertTrue(screen(c.frame(120, 20, T0)).contains("sort: state"));
    c.key(Key.ch('s'), T0);
    assertTrue(screen(c.frame(120, 20, T0)).contains("sort: port"));
  }

  @Test
  void slashFiltersAsYouTypeEnterKeepsEscapeClears() {
    table.add(listener(80, 10, "nginx"));
    table.add(listener(5432, 20, "postgres"));
    WatchController c = controller();
    c.refresh(T0);
    c.key(Key.ch('/'), T0);
    for (char ch : "post".toCharArray()) {
      c.key(Key.ch(ch), T0);
    }
    String typing = screen(c.frame(120, 20, T0));
    assertTrue(typing.contains("filter: post_"), typing);
    assertTrue(typing.contains(":5432 ") && !typing.contains(":80 "), typing);
    c.key(Key.of(Kind.ENTER), T0);
    assertEquals(WatchController.Mode.BROWSE, c.mode());
    assertFalse(screen(c.frame(120, 20, T0)).contains(":80 "), "the filter stays after Enter");
    c.key(Key.ch('/'), T0);
    c.key(Key.of(Kind.ESCAPE), T0);
    String cleared = screen(c.frame(120, 20, T0));
    assertTrue(cleared.contains(":80 ") && cleared.contains(":5432 "), cleared);
    c.key(Key.ch('/'), T0);
    for (char ch : "port:80".toCharArray()) {
      c.key(Key.ch(ch), T0);
    }
    c.key(Key.of(Kind.ENTER), T0);
    String byPort = screen(c.frame(120, 20, T0));
    assertTrue(byPort.contains(":80 ") && !byPort.contains(":5432 "), byPort);
    assertTrue(c.key(Key.ch('q'), T0) == false, "q quits");
  }

  @Test
  void killAsksFirstAndNoEndsNothing() {
    table.add(listener(8080, 4242, "node"));
    WatchController c = controller();
    c.refresh(T0);
    c.key(Key.ch('k'), T0);
    String asking = screen(c.frame(120, 20, T0));
    assertEquals(List.of("8080/tcp"), planned);
    assertTrue(asking.contains("8080/tcp: held by pid 4242 (node)"), asking);
    assertTrue(asking.contains("pid 4242  node  holder"), asking);
    assertTrue(asking.contains("End these processes? [y/N]"), asking);
    assertEquals(WatchController.Mode.CONFIRM, c.mode());
    c.key(Key.of(Kind.NONE), T0);
    assertEquals(WatchController.Mode.CONFIRM, c.mode(), "no key yet: still asking");
    c.key(Key.ch('n'), T0);
    assertFalse(c.killPending());
    assertEquals(List.of(), killed);
    assertTrue(screen(c.frame(120, 20, T0)).contains("nothing was ended"));
  }

  @Test
  void killWithYesEndsThroughTheKillFlowAndShowsTheResult() {
    table.add(listener(8080, 4242, "node"));
    WatchController c = controller();
    c.refresh(T0);
    c.key(Key.ch('k'), T0);
    c.key(Key.ch('y'), T0);
    assertTrue(c.killPending());
    assertTrue(screen(c.frame(120, 20, T0)).contains("ending them"), "a redraw says so before the kill runs");
    assertEquals(List.of(), killed, "nothing ends before the app runs the kill");
    c.runKill();
    assertEquals(List.of("8080/tcp"), killed);
    assertTrue(screen(c.frame(120, 20, T0)).contains("port 8080/tcp is free now"));
    c.refresh(T0.plusSeconds(1));
    String after = screen(c.frame(120, 20, T0.plusSeconds(1)));
    assertTrue(after.contains("(closed 0s ago)"), after);
  }

  @Test
  void aRefusedPlanIsShownAndNotAsked() {
    planStatus = KillReport.Status.DENIED;
    table.add(listener(8080, 4242, "portdoctor"));
    WatchController c = controller();
    c.refresh(T0);
    c.key(Key.ch('k'), T0);
    String s = screen(c.frame(120, 20, T0));
    assertTrue(s.contains("not ended: it is portdoctor itself"), s);
    assertTrue(s.contains("nothing to end: will not end pid 4242"), s);
    assertFalse(s.contains("[y/N]"), s);
    assertEquals(WatchController.Mode.BROWSE, c.mode());
    c.key(Key.ch('y'), T0);
    assertEquals(List.of(), killed, "a y after a refusal ends nothing");
  }

  @Test
  void aClosedRowHasNothingToKill() {
    table.add(listener(8080, 4242, "node"));
    WatchController c = controller();
    c.refresh(T0);
    table.clear();
    c.refresh(T0.plusSeconds(1));
    c.key(Key.ch('k'), T0.plusSeconds(1));
    assertEquals(List.of(), planned);
    assertTrue(screen(c.frame(120, 20, T0.plusSeconds(1))).contains("that socket is closed"));
  }

  @Test
  void ctrlCAndEndOfInputQuit() {
    WatchController c = controller();
    c.refresh(T0);
    assertFalse(c.key(Key.of(Kind.INTERRUPT), T0));
    assertFalse(c.key(Key.of(Kind.EOF), T0));
    assertTrue(c.key(Key.ch('x'), T0));
  }
}
