package dev.portdoctor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.os.remote.HostSpec;
import dev.portdoctor.os.remote.Transport;
import dev.portdoctor.testkit.CliRunner;
import dev.portdoctor.testkit.CliRunner.Result;
import dev.portdoctor.testkit.FakeClock;
import dev.portdoctor.testkit.FakeConnector;
import dev.portdoctor.testkit.FakePlatform;
import dev.portdoctor.testkit.Fixtures;
import dev.portdoctor.testkit.JsonOut;
import dev.portdoctor.testkit.ReplayTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The whole CLI with --on, the hosts answering through a replaying transport (real captures where they exist). */
class RemoteCommandsTest {
  private static Result run(Transport t, String... args) {
    return CliRunner.run(new FakePlatform()::platform, new Environment(new FakeClock(), new FakeConnector(), Random::new).withRemoteTransport(t),
        args);
  }

  /** Answers by host: the captured read for web-1, ssh's refusal for web-2 (hosts are asked in parallel). */
  private static Transport byHost() {
    return new Transport() {
      @Override
      public Reply run(HostSpec host, List<String> command, String stdin, Duration deadline) {
        if (host.name().equals("web-2")) {
          return new Reply(255, "", "root@10.0.0.2: Permission denied (publickey,password).\r\n", false);
        }
        return new ReplayTransport().answer(Fixtures.ownText("remote/linux-devvm-who.txt")).run(host, command, stdin, deadline);
      }

      @Override
      public List<String> argv(HostSpec host, List<String> command) {
        return List.of("ssh", host.destination());
      }
    };
  }

  @Test
  void oneDocumentWithAResultPerHostAndTheWorstExitCode() {
    Result r = run(byHost(), "who", "18090", "--on", "web-1,web-2", "--json");
    assertEquals(6, r.exit(), r.toString());
    assertEquals("portdoctor: web-2: ssh cannot log in without a password or passphrase prompt (BatchMode):"
        + " root@10.0.0.2: Permission denied (publickey,password).; load a key into ssh-agent or name it in ~/.ssh/config\n",
        r.err());
    Map<String, Object> doc = JsonOut.parse(r.out());
    assertEquals("who", doc.get("command"));
    List<Map<String, Object>> hosts = JsonOut.list(doc.get("hosts"));
    assertEquals(List.of("web-1", "web-2"), hosts.stream().map(h -> h.get("host")).toList());
    Map<String, Object> web1 = hosts.get(0);
    assertEquals(0, ((Number) web1.get("exitCode")).intValue());
    assertEquals("Linux", web1.get("os"));
    assertEquals("ss", web1.get("source"));
    Map<String, Object> port = JsonOut.list(JsonOut.map(web1.get("result")).get("ports")).get(0);
    assertEquals("held by pid 25598 (python3)", port.get("verdict"));
    assertEquals("stop that process (portdoctor kill 18090 --on web-1), or choose another port", port.get("remedy"));
    Map<String, Object> web2 = hosts.get(1);
    assertEquals(6, ((Number) web2.get("exitCode")).intValue());
    assertEquals("auth", JsonOut.map(web2.get("error")).get("kind"));
    assertEquals(null, web2.get("result"));
  }

  @Test
  void textHasASectionPerHost() {
    Result r = run(byHost(), "who", "18090", "--on", "web-1,web-2");
    List<String> lines = r.out().lines().toList();
    assertEquals("web-1 (Linux, ss)", lines.get(0));
    assertEquals("  port 18090: held by pid 25598 (python3)", lines.get(1));
    assertTrue(lines.get(lines.size() - 1).startsWith("web-2: ERROR (auth): ssh cannot log in"), r.toString());
  }

  @Test
  void theDryRunShowsTheExactRemoteCommand() {
    Result r = run(new ReplayTransport().answer(Fixtures.ownText("remote/linux-devvm-who.txt")), "kill", "18090", "--on",
        "web-1", "--dry-run", "--json");
    assertEquals(0, r.exit(), r.toString());
    Map<String, Object> h = JsonOut.list(JsonOut.parse(r.out()).get("hosts")).get(0);
    Map<String, Object> cmd = JsonOut.list(h.get("remoteCommands")).get(0);
    assertEquals(List.of("ssh", "web-1", "--", "sh", "-s"), cmd.get("argv"));
    assertTrue(String.valueOf(cmd.get("stdin")).contains("if sg 25598 \"Fri Dec 4 21:43:06 2026\""), r.toString());
    Map<String, Object> port = JsonOut.list(JsonOut.map(h.get("result")).get("ports")).get(0);
    assertEquals("planned", port.get("status"));
  }

  @Test
  void withoutYesOffATerminalNothingIsRun() {
    ReplayTransport t = new ReplayTransport().answer(Fixtures.ownText("remote/linux-devvm-who.txt"));
    Result r = run(t, "kill", "18090", "--on", "web-1");
    assertEquals(2, r.exit(), r.toString());
    assertEquals(1, t.calls.size(), "only the read: no kill script was sent");
  }

  /** SYNTHETIC: no real capture of these cmdlets as CSV was found (fixtures/README.md). */
  private static final String M = "@@pd-" + ReplayTransport.CAPTURED_NONCE + " ";
  private static final String SYNTHETIC_WINDOWS_READ = M + "os Windows\n" + M + "self 7000\n" + M + "table powershell-tcp\n"
      + "\"LocalAddress\",\"LocalPort\",\"RemoteAddress\",\"RemotePort\",\"State\",\"OwningProcess\"\r\n"
      + "\"0.0.0.0\",\"8080\",\"0.0.0.0\",\"0\",\"Listen\",\"5120\"\r\n" + M + "rc 0\n" + M + "table powershell-udp\n"
      + M + "rc 0\n" + M + "processes\n" + "\"ProcessId\",\"ParentProcessId\",\"Name\",\"CommandLine\",\"Start\"\r\n"
      + "\"900\",\"4\",\"cmd.exe\",\"cmd\",\"2026-12-04T07:59:00.0000000Z\"\r\n"
      + "\"5120\",\"900\",\"node.exe\",\"node server.js\",\"2026-12-04T08:00:01.5000000Z\"\r\n" + M + "rc 0\n" + M + "end\n";
  private static final String SYNTHETIC_WINDOWS_VERIFY = M + "os Windows\n" + M + "self 7100\n" + M + "table powershell-tcp\n"
      + "\"LocalAddress\",\"LocalPort\",\"RemoteAddress\",\"RemotePort\",\"State\",\"OwningProcess\"\r\n" + M + "rc 0\n"
      + M + "table powershell-udp\n" + M + "rc 0\n" + M + "probe powershell\n" + "8080 0.0.0.0 0 free\n8080 :: 0 free\n"
      + "8080 127.0.0.1 0 free\n8080 ::1 0 free\n" + M + "rc 0\n" + M + "end\n";

  @Test
  void killOnAWindowsHostRunsTaskkillWithTheStartTimeGuard() {
    ReplayTransport t = new ReplayTransport()
        .reply(new Transport.Reply(1, "", "'sh' is not recognized as an internal or external command,\r\n", false))
        .answer("\r\nMicrosoft Windows [Version 10.0.19045.3803]\r\n")
        .answer(SYNTHETIC_WINDOWS_READ)
        .answer(M + "os Windows\n" + M + "out 5120 sent TERM\n" + M + "out 5120 end polite\n" + M + "end\n")
        .answer(SYNTHETIC_WINDOWS_VERIFY);
    Result r = run(t, "kill", "8080", "--on", "win-1", "--yes", "--json");
    assertEquals(0, r.exit(), r.toString());
    assertEquals(5, t.calls.size());
    String script = t.calls.get(3).script();
    assertEquals("powershell", t.calls.get(3).command().get(0));
    assertTrue(script.contains("$T[5120]='2026-12-04T08:00:01.500Z'"), script);
    assertTrue(script.contains("$r=Sg 5120 $T[5120]"), script);
    assertTrue(script.contains("& taskkill.exe /PID $p") && script.contains("& taskkill.exe /F /PID $p"), script);
    Map<String, Object> port = JsonOut.list(JsonOut.map(JsonOut.list(JsonOut.parse(r.out()).get("hosts")).get(0)
        .get("result")).get("ports")).get(0);
    assertEquals("freed", port.get("status"), r.toString());
    assertEquals("stopped", JsonOut.list(port.get("outcomes")).get(0).get("result"));
  }
}
