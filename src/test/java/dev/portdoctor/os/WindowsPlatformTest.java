package dev.portdoctor.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.BindOutcome;
import dev.portdoctor.core.Platform;
import dev.portdoctor.core.ProbeResult;
import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.core.ProcessSource;
import dev.portdoctor.os.windows.TasklistServicesParser;
import dev.portdoctor.os.windows.WindowsProcessSource;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.Fixtures;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.ReplayCommandRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The whole CLI on its Windows path, on Linux: the Windows platform with a command runner that replays
 * real captured netstat, netsh and tasklist output for the exact argument lists portdoctor runs.
 * Process details are those a Windows machine would give for the captured PIDs, so no process of this
 * machine is looked up.
 */
class WindowsPlatformTest {
  private static final List<String> NETSTAT = List.of("netstat", "-ano");

  private static Platform windows(ReplayCommandRunner runner) {
    Platform p = Platforms.forOs("Windows 10", "netstat", runner, Path.of("/nonexistent"));
    // the captured machine's processes: names only, as OSHI would give them there
    Map<Long, String> names = Map.of(1712L, "svchost.exe", 4L, "System", 6088L, "jhi_service.exe");
    ProcessSource captured = pid -> Optional.ofNullable(names.get(pid)).map(n ->
        new ProcessInfo(pid, OptionalLong.empty(), n, Optional.empty(), Optional.empty(), Optional.empty(),
            OptionalInt.empty(), Optional.empty()));
    return new Platform(p.osName(), p.sockets(), new WindowsProcessSource(captured, runner), p.probe(), p.facts(),
        p.control());
  }

  private static ReplayCommandRunner netstat() {
    return new ReplayCommandRunner().answer(NETSTAT, 0, Fixtures.sharedText("windows-netstat/jc-win10-netstat-aon-en.txt"));
  }

  @Test
  void whoAndListRunTheirWindowsPath() {
    ReplayCommandRunner r = netstat()
        .answer(List.of("tasklist", "/svc", "/fi", "PID eq 1712"), 0,
            Fixtures.ownText("windows/tasklist-svc-xp-excerpt.txt").replace("748 RpcSs", "1712 RpcSs"));
    Platform win = windows(r);
    Result who = CliRunner.run(() -> win, "who", "135", "--json");
    assertEquals(0, who.exit(), who::toString);
    List<Map<String, Object>> socks = JsonOut.sockets(JsonOut.parse(who.out()));
    assertEquals(2, socks.size(), "0.0.0.0:135 and [::]:135: " + who);
    assertEquals(List.of(1712L), JsonOut.pids(socks.get(0)));
    Map<String, Object> proc = JsonOut.list(socks.get(0).get("processes")).get(0);
    assertEquals("svchost.exe", proc.get("name"));
    assertEquals(List.of("RpcSs"), proc.get("services"));
    assertTrue(r.calls.contains(NETSTAT), r.calls::toString);

    Result text = CliRunner.run(() -> win, "who", "445");
    assertTrue(text.out().contains("pid 4  System") && text.out().contains("netsh http show servicestate"), text::toString);

    Result list = CliRunner.run(() -> win, "list", "--port", "1025");
    assertEquals(0, list.exit(), list::toString);
    assertTrue(list.out().contains("[::1]:1025") && list.out().contains("6088"), list::toString);
  }

  @Test
  void aRefusedBindInAnExcludedRangeIsExplained() {
    ReplayCommandRunner r = netstat()
        .answer(List.of("netsh", "interface", "ipv4", "show", "excludedportrange", "protocol=tcp"), 0,
            Fixtures.ownText("windows/excludedportrange-tcp-es.txt"));
    Platform base = windows(r);
    // Windows answers WSAEACCES for a port in an excluded range; the probe replays that answer
    Platform win = new Platform(base.osName(), base.sockets(), base.processes(),
        (protocol, address, port, reuse) -> new ProbeResult(protocol, address, port, reuse, BindOutcome.PERMISSION,
            Optional.of("Permission denied: bind")), base.facts(), base.control());
    int inRange = firstExcludedPort();
    Result check = CliRunner.run(() -> win, "check", Integer.toString(inRange), "--json");
    assertEquals(1, check.exit(), check::toString);
    Map<String, Object> res = JsonOut.list(JsonOut.parse(check.out()).get("ports")).get(0);
    assertEquals("not-bindable", res.get("verdict"));
    assertEquals("excluded-range", res.get("cause"));
    assertTrue(((String) res.get("reason")).contains("reserved by Windows"), res::toString);
    assertTrue(((String) res.get("remedy")).contains("net stop winnat"), res::toString);
    List<Map<String, Object>> probes = JsonOut.list(res.get("probes"));
    assertTrue(probes.stream().allMatch(p -> p.get("reuseAddress").equals(false)), "never SO_REUSEADDR on Windows");
  }

  private static int firstExcludedPort() {
    var ranges = dev.portdoctor.os.windows.ExcludedPortRangeParser.parse(Fixtures.ownText("windows/excludedportrange-tcp-es.txt"));
    return ranges.ranges().get(0).start();
  }

  @Test
  void tasklistServicesTableWithWrappedLines() {
    Map<Long, List<String>> s = TasklistServicesParser.parse(Fixtures.ownText("windows/tasklist-svc-xp-excerpt.txt"));
    assertEquals(List.of("RpcSs"), s.get(748L));
    assertEquals(List.of(), s.get(4L));
    assertEquals(List.of(), s.get(0L), "System Idle Process: a name with spaces");
    List<String> big = s.get(816L);
    assertEquals("AudioSrv", big.get(0));
    assertEquals("WZCSVC", big.get(big.size() - 1));
    assertEquals(27, big.size());
    assertEquals(List.of("Netlogon", "PolicyAgent", "ProtectedStorage"), s.get(584L));
  }

  @Test
  void sourcesThatDoNotExistOnTheOsAreUsageErrors() {
    Result r = CliRunner.run(src -> Platforms.forOs("Linux", src, new ReplayCommandRunner(), Path.of("/proc")),
        dev.portdoctor.cli.Context.Terminal.pipe(), null, "who", "80", "--source", "powershell");
    assertEquals(2, r.exit(), r::toString);
    assertTrue(r.err().contains("--source powershell is not available on Linux"), r::toString);
  }

  @Test
  void aHangingOrMissingCommandIsAClearErrorNotAnEmptyTable() {
    Platform hung = Platforms.forOs("Windows 10", "netstat", new ReplayCommandRunner().hang(NETSTAT), Path.of("/x"));
    Result r = CliRunner.run(() -> hung, "who", "135");
    assertEquals(70, r.exit(), r::toString);
    assertTrue(r.err().contains("'netstat -ano' did not finish"), r::toString);

    Platform garbage = Platforms.forOs("Windows 10", "netstat", new ReplayCommandRunner().answer(NETSTAT, 0,
        "TCP garbage here\n"), Path.of("/x"));
    Result g = CliRunner.run(() -> garbage, "who", "135");
    assertEquals(70, g.exit(), g::toString);
    assertTrue(g.err().contains("cannot read the output of 'netstat -ano'"), g::toString);
  }
}
