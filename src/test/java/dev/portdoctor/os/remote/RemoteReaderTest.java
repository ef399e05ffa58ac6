package dev.portdoctor.os.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.CheckResult;
import dev.portdoctor.core.Holder;
import dev.portdoctor.core.Platform;
import dev.portdoctor.core.PortDoctor;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketReport;
import dev.portdoctor.core.Verdict;
import dev.portdoctor.core.WhoResult;
import dev.portdoctor.testkit.Fixtures;
import dev.portdoctor.testkit.ReplayTransport;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The remote read on every OS's path, through a transport that replays real captures: our own answers
 * of the read script on Linux (ss, the python3 probe), and real outputs of netstat, lsof and macOS
 * netstat -anv (this project's fixtures and ../shared/fixtures) between the script's marker lines.
 */
class RemoteReaderTest {
  private static final HostSpec HOST = HostSpec.parse("web-3");
  private static final ReadRequest WHO = new ReadRequest(EnumSet.allOf(Protocol.class),
      PortSet.parse(List.of("18090-18095,5432,8080,9418,5353")), false, Optional.empty());

  private static RemoteSnapshot read(ReplayTransport t, ReadRequest r) {
    return new RemoteReader(t, Duration.ofSeconds(5)).read(HOST, r, null);
  }

  private static List<Long> pids(WhoResult w) {
    return w.sockets().stream().flatMap(s -> s.holders().stream()).map(h -> h.process().pid()).distinct().toList();
  }

  @Test
  void linuxSsAndPsGoThroughTheLocalParsersAndUseCases() {
    ReplayTransport t = new ReplayTransport().answer(Fixtures.ownText("remote/linux-devvm-who.txt"));
    RemoteSnapshot s = read(t, WHO);
    assertEquals(List.of("sh", "-s"), t.calls.get(0).command());
    assertTrue(t.calls.get(0).stdin().contains("ss -Htuanpe '( sport = :5353 or sport = :5432"), t.calls.get(0).stdin());
    assertEquals("Linux", s.os());
    assertEquals("ss", s.source());
    assertEquals(25903, s.self().getAsLong());
    Platform p = RemotePlatform.of(s);
    assertEquals("linux", p.osName());
    WhoResult w = new PortDoctor(p).who(PortSet.of(18090), EnumSet.of(Protocol.TCP), false).get(0);
    SocketReport listener = w.sockets().get(0);
    assertEquals("127.0.0.1", listener.socket().local().address());
    // the parent 25598 at the top, its forked child 25686 under it: ss's users: and ps's ppid together
    List<Holder> hs = listener.holders();
    assertEquals(List.of(25598L, 25686L), hs.stream().map(h -> h.process().pid()).toList());
    assertEquals(List.of(0, 1), hs.stream().map(Holder::depth).toList());
    assertEquals("python3", hs.get(0).process().name());
    assertTrue(hs.get(0).process().commandLine().get().endsWith("devvm-capture/hold_sockets.py"));
    assertEquals("2026-12-04T21:43:06Z", hs.get(0).process().startTime().get().toString());
    // facts from the host, not from this machine
    assertEquals("32768-60999", p.facts().ephemeralPortRange().get().first() + "-"
        + p.facts().ephemeralPortRange().get().last());
    assertEquals(Optional.of("2"), p.facts().kernelSetting("net.ipv4.tcp_tw_reuse"));
    // the remote shell and its ancestors are portdoctor's own there
    assertEquals(25903, p.control().self());
    assertTrue(p.control().selfAncestors().contains(25868L));
  }

  @Test
  void checkUsesTheHostsTrialBinds() {
    ReplayTransport t = new ReplayTransport().answer(Fixtures.ownText("remote/linux-devvm-check.txt"));
    ReadRequest r = new ReadRequest(EnumSet.of(Protocol.TCP), WHO.ports(), false,
        Optional.of(new ReadRequest.Probe(Protocol.TCP, List.of())));
    RemoteSnapshot s = read(t, r);
    assertEquals(Optional.of("python3"), s.probeMethod());
    PortDoctor d = new PortDoctor(RemotePlatform.of(s));
    List<CheckResult> res = d.check(PortSet.parse(List.of("18090,18093,8080")),
        new PortDoctor.CheckOptions(Protocol.TCP, d.defaultAddresses(), false));
    assertEquals(Verdict.IN_USE, res.get(0).verdict()); // 8080: [::1] listener, family clash
    assertEquals(Optional.of("family-clash"), res.get(0).cause());
    assertEquals(Verdict.IN_USE, res.get(1).verdict()); // 18090
    assertEquals(Verdict.FREE, res.get(2).verdict()); // 18093: UDP only
  }

  @Test
  void linuxWithoutSsFallsBackToNetstat() {
    ReplayTransport t = new ReplayTransport().answer(ReplayTransport.sections("Linux",
        "table netstat", Fixtures.ownText("netstat-linux/devvm-tanp.txt")));
    RemoteSnapshot s = read(t, WHO);
    assertEquals("netstat", s.source());
    WhoResult w = new PortDoctor(RemotePlatform.of(s)).who(PortSet.of(18090), EnumSet.of(Protocol.TCP), false).get(0);
    assertEquals(1, w.sockets().size());
    assertFalse(pids(w).isEmpty(), w.toString());
    assertEquals(List.of("ps failed: process details unknown"), s.tried());
  }

  @Test
  void aFailedSsIsPassedForTheNextTool() {
    String m = "@@pd-" + ReplayTransport.CAPTURED_NONCE + " ";
    String answer = m + "os Linux\n" + m + "self 1\n" + m + "table ss\n" + m + "rc 1\n"
        + ReplayTransport.sections("Linux", "table lsof", Fixtures.ownText("lsof/devvm-F0.txt")).replace(m + "os Linux\n", "");
    RemoteSnapshot s = read(new ReplayTransport().answer(answer), WHO);
    assertEquals("lsof", s.source());
    assertEquals(List.of("ss exited 1", "ps failed: process details unknown"), s.tried());
  }

  @Test
  void macOsReadsLsofAndBsdNetstat() {
    RemoteSnapshot lsof = read(new ReplayTransport().answer(ReplayTransport.sections("Darwin",
        "table lsof", Fixtures.ownText("lsof/devvm-F0.txt"))), WHO);
    assertEquals("mac os x", RemotePlatform.of(lsof).osName());
    WhoResult w = new PortDoctor(RemotePlatform.of(lsof)).who(PortSet.of(18091), EnumSet.of(Protocol.TCP), false).get(0);
    assertEquals("::1", w.sockets().get(0).socket().local().address());

    RemoteSnapshot ns = read(new ReplayTransport().answer(ReplayTransport.sections("Darwin",
        "table bsd-netstat", Fixtures.ownText("netstat-mac/pidport14-tahoe-anv-tcp.txt"))),
        new ReadRequest(EnumSet.allOf(Protocol.class), PortSet.all(), false, Optional.empty()));
    assertEquals("bsd-netstat", ns.source());
    assertFalse(ns.sockets().isEmpty());
    assertTrue(ns.sockets().stream().anyMatch(e -> !e.owners().isEmpty()), "the pid column of netstat -anv is read");
  }

  @Test
  void windowsIsFoundWithVerAndReadThroughPowerShell() {
    String netstat = Fixtures.sharedText("windows-netstat/jc-win10-netstat-aon-en.txt");
    String m = "@@pd-" + ReplayTransport.CAPTURED_NONCE + " ";
    String ps = m + "os Windows\n" + m + "self 7000\n" + m + "table powershell-tcp\n" + m + "rc 1\n"
        + m + "table windows-netstat\n" + netstat + "\n" + m + "rc 0\n" + m + "end\n";
    ReplayTransport t = new ReplayTransport()
        // SYNTHETIC: cmd.exe's answer to an unknown command, as the login shell of Windows' OpenSSH
        .reply(new Transport.Reply(1, "", "'sh' is not recognized as an internal or external command,\r\n"
            + "operable program or batch file.\r\n", false))
        // SYNTHETIC: the one line of 'ver'
        .answer("\r\nMicrosoft Windows [Version 10.0.19045.3803]\r\n")
        .answer(ps);
    RemoteSnapshot s = read(t, new ReadRequest(EnumSet.allOf(Protocol.class), PortSet.all(), true, Optional.empty()));
    assertEquals(3, t.calls.size());
    assertEquals(List.of("cmd", "/c", "ver"), t.calls.get(1).command());
    assertEquals("powershell", t.calls.get(2).command().get(0));
    assertTrue(t.calls.get(2).script().contains("Get-NetTCPConnection"), t.calls.get(2).script());
    assertEquals("windows-netstat", s.source());
    assertEquals(List.of("powershell-tcp exited 1", "ps failed: process details unknown"), s.tried());
    Platform p = RemotePlatform.of(s);
    assertFalse(p.facts().serversReuseAddress());
    WhoResult w = new PortDoctor(p).who(PortSet.of(135), EnumSet.of(Protocol.TCP), false).get(0);
    assertEquals(List.of(1712L), pids(w));
  }

  /** SYNTHETIC: no real capture of Get-NetTCPConnection / Win32_Process as CSV was found (fixtures/README.md). */
  private static final String SYNTHETIC_TCP_CSV = "\"LocalAddress\",\"LocalPort\",\"RemoteAddress\",\"RemotePort\",\"State\","
      + "\"OwningProcess\"\r\n\"::\",\"445\",\"::\",\"0\",\"Listen\",\"4\"\r\n\"0.0.0.0\",\"8080\",\"0.0.0.0\",\"0\",\"Listen\",\"5120\"\r\n";
  private static final String SYNTHETIC_PROCESSES_CSV = "\"ProcessId\",\"ParentProcessId\",\"Name\",\"CommandLine\",\"Start\"\r\n"
      + "\"4\",\"0\",\"System\",\"\",\"\"\r\n"
      + "\"5120\",\"900\",\"node.exe\",\"\"\"C:\\Program Files\\nodejs\\node.exe\"\" server.js\",\"2026-12-04T08:00:01.5000000Z\"\r\n";

  @Test
  void windowsPowerShellTablesAndWin32Process() {
    String m = "@@pd-" + ReplayTransport.CAPTURED_NONCE + " ";
    String ps = m + "os Windows\n" + m + "self 7000\n" + m + "table powershell-tcp\n" + SYNTHETIC_TCP_CSV + m + "rc 0\n"
        + m + "table powershell-udp\n" + m + "rc 0\n" + m + "processes\n" + SYNTHETIC_PROCESSES_CSV + m + "rc 0\n" + m + "end\n";
    RemoteSnapshot s = new RemoteReader(new ReplayTransport().answer(ps), Duration.ofSeconds(5))
        .read(HOST, WHO, "Windows");
    assertEquals("powershell", s.source());
    WhoResult w = new PortDoctor(RemotePlatform.of(s)).who(PortSet.of(8080), EnumSet.of(Protocol.TCP), false).get(0);
    Holder h = w.sockets().get(0).holders().get(0);
    assertEquals("node.exe", h.process().name());
    assertEquals("\"C:\\Program Files\\nodejs\\node.exe\" server.js", h.process().commandLine().get());
    assertEquals("2026-12-04T08:00:01.500Z", h.process().startTime().get().toString());
  }

  @Test
  void anAnswerThatStopsOrIsNotOursIsAnErrorOfTheHost() {
    String cut = Fixtures.ownText("remote/linux-devvm-who.txt").replace("@@pd-" + ReplayTransport.CAPTURED_NONCE + " end", "");
    RemoteException e = assertThrows(RemoteException.class, () -> read(new ReplayTransport().answer(cut), WHO));
    assertEquals("remote", e.kind());
    assertTrue(e.getMessage().contains("stopped before its end"), e.getMessage());

    // a process on the host prints marker lines, but cannot know this call's nonce
    String forged = "@@pd-ffffffffffffffff os Linux\n@@pd-ffffffffffffffff end\n";
    ReplayTransport notOurs = new ReplayTransport().answer(forged).answer("");
    e = assertThrows(RemoteException.class, () -> read(notOurs, WHO));
    assertEquals("unsupported", e.kind());
  }

  @Test
  void sshFailuresAreClassified() {
    Transport.Reply denied = new Transport.Reply(255, "", "root@127.0.0.1: Permission denied (publickey,password).\r\n", false);
    RemoteException e = assertThrows(RemoteException.class, () -> read(new ReplayTransport().reply(denied), WHO));
    assertEquals("auth", e.kind());
    assertEquals("web-3: ssh cannot log in without a password or passphrase prompt (BatchMode): root@127.0.0.1:"
        + " Permission denied (publickey,password).; load a key into ssh-agent or name it in ~/.ssh/config", e.getMessage());
    Transport.Reply refused = new Transport.Reply(255, "", "ssh: connect to host web-3 port 22: Connection refused\n", false);
    assertEquals("unreachable", assertThrows(RemoteException.class,
        () -> read(new ReplayTransport().reply(refused), WHO)).kind());
    Transport.Reply hung = new Transport.Reply(-1, "", "", true);
    RemoteException t = assertThrows(RemoteException.class, () -> read(new ReplayTransport().reply(hung), WHO));
    assertEquals("timeout", t.kind());
    assertTrue(t.getMessage().startsWith("web-3: no answer within 5 s"), t.getMessage());
  }
}
