package dev.portdoctor.os.linux;

import static dev.portdoctor.testkit.TableChecks.assertSane;
import static dev.portdoctor.testkit.TableChecks.at;
import static dev.portdoctor.testkit.TableChecks.names;
import static dev.portdoctor.testkit.TableChecks.one;
import static dev.portdoctor.testkit.TableChecks.pids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.os.text.Lines;
import dev.portdoctor.testkit.Fixtures;
import dev.portdoctor.testkit.MangledInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class LinuxNetstatParserTest {

  private static ParsedTable parse(String text) {
    ParsedTable t = LinuxNetstatParser.parse(text);
    assertSane(t);
    return t;
  }

  /** {@code sudo netstat -lnp} on CentOS 7.7, from jc (../shared/fixtures/README.md). */
  @Test
  void sharedCentosLnp() {
    ParsedTable t = parse(Fixtures.sharedText("linux/jc-centos77-netstat-lnp.txt"));
    // the raw6 row is not TCP or UDP: left out, not counted as an error
    assertEquals(0, t.skippedLines(), t::firstSkippedText);
    assertEquals(7, t.entries().size());

    SocketEntry smtp = one(t, "127.0.0.1:25", null);
    assertEquals(Protocol.TCP, smtp.protocol());
    assertEquals(SocketState.LISTEN, smtp.state());
    assertEquals(List.of(1469L), pids(smtp));
    assertEquals(List.of("master"), names(smtp));

    SocketEntry ssh = one(t, "0.0.0.0:22", null);
    assertEquals(SocketState.LISTEN, ssh.state());
    assertEquals(List.of(1206L), pids(ssh));

    SocketEntry chrony = at(t, "[::1]:323").stream().filter(e -> e.protocol() == Protocol.UDP)
        .findFirst().orElseThrow();
    assertEquals(SocketState.UNCONN, chrony.state());
    assertEquals(List.of(795L), pids(chrony));
    assertEquals(List.of("chronyd"), names(chrony));
    assertTrue(t.entries().stream().noneMatch(e -> e.local().port() == 58));
  }

  /** {@code sudo netstat -lnp} on Ubuntu 18.04 with program names holding spaces, from jc. */
  @Test
  void sharedUbuntuSpaceNames() {
    ParsedTable t = parse(Fixtures.sharedText("linux/jc-ubuntu1804-netstat-lnp-space-names.txt"));
    assertEquals(0, t.skippedLines(), t::firstSkippedText);
    assertEquals(19, t.entries().size());

    SocketEntry ssh = one(t, "0.0.0.0:22", null);
    assertEquals(SocketState.LISTEN, ssh.state());
    assertEquals(List.of(600L), pids(ssh));
    assertEquals(List.of("sshd: /usr/sbin"), names(ssh));

    SocketEntry watchdog = one(t, "0.0.0.0:9000", null);
    assertEquals(List.of(1187L), pids(watchdog));
    assertEquals(List.of("pgpool: watchd"), names(watchdog));

    List<SocketEntry> heartbeat = at(t, "0.0.0.0:9694");
    assertEquals(2, heartbeat.size());
    assertEquals(List.of(1205L, 1203L), heartbeat.stream().map(e -> e.owners().get(0).pid())
        .collect(Collectors.toList()));
    assertTrue(heartbeat.stream().allMatch(e -> e.protocol() == Protocol.UDP && e.state() == SocketState.UNCONN));

    SocketEntry zabbix = one(t, "[::]:10050", null);
    assertEquals(SocketState.LISTEN, zabbix.state());
    assertEquals(List.of(1817931L), pids(zabbix));
    assertEquals(List.of("zabbix_agen"), names(zabbix));
  }

  /**
   * {@code netstat -lnp} on the dev VM (src/test/resources/fixtures/README.md): a raw6 row and the
   * UNIX domain section, which ends the parse; a v4-mapped listener shown as IPv4 under tcp6.
   */
  @Test
  void devVmLnp() {
    ParsedTable t = parse(Fixtures.ownText("netstat-linux/devvm-lnp.txt"));
    assertEquals(0, t.skippedLines(), t::firstSkippedText);
    assertEquals(9, t.entries().size());
    SocketEntry mapped = one(t, "[::ffff:127.0.0.1]:18092", null);
    assertEquals(Protocol.TCP, mapped.protocol());
    // netstat shows one PID per socket although two processes hold it (ss shows both)
    assertEquals(List.of(6490L), pids(mapped));
    assertEquals(List.of("python3"), names(mapped));
    assertEquals(SocketState.UNCONN, one(t, "[::1]:18094", null).state());
  }

  /** {@code netstat -tanp} on the dev VM: every TCP state it shows, {@code -} owners. */
  @Test
  void devVmTanp() {
    ParsedTable t = parse(Fixtures.ownText("netstat-linux/devvm-tanp.txt"));
    assertEquals(0, t.skippedLines(), t::firstSkippedText);
    assertEquals(29, t.entries().size());

    SocketEntry timeWait = one(t, "127.0.0.1:18090", "127.0.0.1:34160");
    assertEquals(SocketState.TIME_WAIT, timeWait.state());
    assertEquals(OwnerStatus.NONE, timeWait.ownerStatus());
    SocketEntry finWait = one(t, "127.0.0.1:18090", "127.0.0.1:60384");
    assertEquals(SocketState.FIN_WAIT2, finWait.state());
    assertEquals(OwnerStatus.UNKNOWN, finWait.ownerStatus());
    SocketEntry closeWait = one(t, "127.0.0.1:60384", "127.0.0.1:18090");
    assertEquals(SocketState.CLOSE_WAIT, closeWait.state());
    assertEquals(List.of(6490L), pids(closeWait));
    SocketEntry mappedConn = one(t, "[::ffff:127.0.0.1]:18092", "[::ffff:127.0.0.1]:59694");
    assertEquals(SocketState.ESTABLISHED, mappedConn.state());
    assertEquals(SocketState.ESTABLISHED, one(t, "[::1]:39318", "[::1]:18091").state());
  }

  /** {@code netstat -tulpne}: the User and Inode columns of {@code -e}, before the PID column. */
  @Test
  void devVmTulpne() {
    ParsedTable t = parse(Fixtures.ownText("netstat-linux/devvm-tulpne.txt"));
    assertEquals(0, t.skippedLines(), t::firstSkippedText);
    assertEquals(9, t.entries().size());
    SocketEntry git = one(t, "127.0.0.1:9418", null);
    assertEquals(0, git.uid().getAsInt());
    assertEquals(13858, git.inode().getAsLong());
    assertEquals(List.of(6490L), pids(git));
    SocketEntry udp6 = one(t, "[::1]:18094", null);
    assertEquals(Protocol.UDP, udp6.protocol());
    assertEquals(13854, udp6.inode().getAsLong());
  }

  /** {@code netstat -tulpn}: UDP rows have a blank State column. */
  @Test
  void devVmTulpn() {
    ParsedTable t = parse(Fixtures.ownText("netstat-linux/devvm-tulpn.txt"));
    assertEquals(0, t.skippedLines(), t::firstSkippedText);
    assertEquals(9, t.entries().size());
    SocketEntry mdns = one(t, "127.0.0.1:5353", null);
    assertEquals(Protocol.UDP, mdns.protocol());
    assertEquals(SocketState.UNCONN, mdns.state());
    assertEquals(List.of(6490L), pids(mdns));
  }

  /**
   * SYNTHETIC: rows in the net-tools layout for cases no capture here shows: a connected UDP socket
   * with the ESTABLISHED state netstat prints for it, a listener whose owner this user may not see
   * ({@code -}), a truncated IPv6 address, handshake states, and broken rows; then a UNIX section
   * after which nothing is read.
   */
  private static final String SYNTHETIC_MIXED = String.join("\n",
      "Active Internet connections (servers and established)",
      "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name",
      "udp        0      0 10.0.0.5:53000          10.0.0.1:53             ESTABLISHED 812/resolver",
      "tcp        0      0 0.0.0.0:5432            0.0.0.0:*               LISTEN      -",
      "tcp6       0      0 2001:db8:85a3:8d3:1319:8a:443 2001:db8::1:50000 SYN_RECV    -",
      "tcp        0      1 10.0.0.5:40000          93.184.216.34:443       SYN_SENT    700/curl",
      "tcp        0      0 10.0.0.5:40001          93.184.216.34:443       LAST_ACK    -",
      "tcp        0      0 10.0.0.5:40002          93.184.216.34:443       FIN_WAIT1   -",
      "tcp        0      0 10.0.0.5:40003          93.184.216.34:443       CLOSING     -",
      "tcp        0      0 10.0.0.5:99999          0.0.0.0:*               LISTEN      -",
      "tcp        0      0 10.0.0.5:80             0.0.0.0:*               LISTEN      0/init",
      "tcp        0      0 10.0.0.5:80             0.0.0.0:*",
      "sctp       0      0 10.0.0.5:80             0.0.0.0:*               LISTEN      -",
      "Active UNIX domain sockets (servers and established)",
      "Proto RefCnt Flags       Type       State         I-Node   PID/Program name     Path",
      "unix  2      [ ACC ]     STREAM     LISTENING     12602    5533/python3         /tmp/x.sock",
      "tcp        0      0 10.0.0.5:81             0.0.0.0:*               LISTEN      1/late");

  /**
   * The note netstat writes to stderr when it may not read other processes' descriptors, captured on
   * the dev VM ({@code netstat -tlnp} as user nobody); a caller that merges stderr must not see it as
   * a broken row. The rows under it are SYNTHETIC, in the layout of the captures above.
   */
  @Test
  void stderrNoteMergedIntoTheText() {
    String text = "(No info could be read for \"-p\": geteuid()=65534 but you should be root.)\n"
        + "Active Internet connections (only servers)\n"
        + "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \n"
        + "tcp        0      0 127.0.0.1:631           0.0.0.0:*               LISTEN      -                   \n";
    ParsedTable t = parse(text);
    assertEquals(0, t.skippedLines(), t::firstSkippedText);
    assertEquals(OwnerStatus.UNKNOWN, one(t, "127.0.0.1:631", null).ownerStatus());
  }

  @Test
  void synthesisedCases() {
    ParsedTable t = parse(SYNTHETIC_MIXED);
    SocketEntry udp = one(t, "10.0.0.5:53000", "10.0.0.1:53");
    assertEquals(SocketState.ESTABLISHED, udp.state());
    assertEquals(List.of("resolver"), names(udp));
    SocketEntry hidden = one(t, "0.0.0.0:5432", null);
    assertEquals(OwnerStatus.UNKNOWN, hidden.ownerStatus());
    assertEquals(SocketState.SYN_RECV, one(t, "[2001:db8:85a3:8d3:1319:8a]:443", "[2001:db8::1]:50000").state());
    assertEquals(List.of(SocketState.SYN_SENT, SocketState.LAST_ACK, SocketState.FIN_WAIT1, SocketState.CLOSING),
        t.entries().stream().skip(3).map(SocketEntry::state).collect(Collectors.toList()));
    assertEquals(7, t.entries().size());
    assertEquals(4, t.skippedLines());
    assertEquals(10, t.firstSkippedLine().getAsInt());
    assertTrue(at(t, "10.0.0.5:81").isEmpty());
  }

  /** Hand tokenising stays linear on huge, hostile lines. */
  @Test
  void hugeHostileInputFinishes() {
    String colons = "tcp 0 0 " + ":".repeat(500_000) + " 0.0.0.0:* LISTEN 1/x\n";
    String rows = "tcp 0 0 127.0.0.1:25 0.0.0.0:* LISTEN 1469/master with a long name\n".repeat(20_000);
    String fields = "tcp 0 0 127.0.0.1:26 0.0.0.0:* LISTEN " + "1/x ".repeat(200_000) + "\n";
    ParsedTable t = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> parse(colons + rows + fields));
    assertEquals(20_001, t.entries().size());
    assertEquals(1, t.skippedLines());
  }

  @Property(tries = 400)
  void neverThrowsAndKeepsInvariants(@ForAll("mangled") String text) {
    assertSane(LinuxNetstatParser.parse(text));
  }

  @Provide
  Arbitrary<String> mangled() {
    List<String> lines = new ArrayList<>(Lines.of(Fixtures.ownText("netstat-linux/devvm-lnp.txt")));
    lines.addAll(Lines.of(Fixtures.ownText("netstat-linux/devvm-tanp.txt")));
    lines.addAll(Lines.of(Fixtures.ownText("netstat-linux/devvm-tulpne.txt")));
    lines.addAll(Lines.of(SYNTHETIC_MIXED));
    return MangledInput.around(lines);
  }
}
