package dev.portdoctor.os.mac;

import static dev.portdoctor.testkit.TableChecks.assertSane;
import static dev.portdoctor.testkit.TableChecks.at;
import static dev.portdoctor.testkit.TableChecks.names;
import static dev.portdoctor.testkit.TableChecks.one;
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

/**
 * The lsof captures are Linux lsof 4.95 on the dev VM (src/test/resources/fixtures/README.md): lsof's
 * field output is the same program's on macOS. No real macOS {@code lsof -F} capture was found; the
 * macOS-only forms are in {@code SYNTHETIC_} strings below.
 */
class LsofParserTest {

  private static ParsedTable parse(String text) {
    ParsedTable t = LsofParser.parse(text);
    assertSane(t);
    return t;
  }

  /** {@code lsof -nP -iTCP -iUDP -F pcnPtTu0}: NUL-terminated fields, one file set per line. */
  @Test
  void devVmNulSeparated() {
    ParsedTable t = parse(Fixtures.ownText("lsof/devvm-F0.txt"));
    assertEquals(0, t.skippedLines(), t::firstSkippedText);
    assertEquals(34, t.entries().size());

    // one entry per process and descriptor: the parent and the forked child hold the same listener
    List<SocketEntry> listen = at(t, "127.0.0.1:18090").stream().filter(e -> e.remote().isEmpty())
        .collect(Collectors.toList());
    assertEquals(List.of(6490L, 6532L), listen.stream().map(e -> e.owners().get(0).pid())
        .collect(Collectors.toList()));
    // lsof keeps the whole name, quotes and parentheses included (ss cuts it at ')')
    assertEquals(List.of("pd srv (a),\"b\""), names(listen.get(0)));
    assertEquals(List.of("w \"q\",x y"), names(listen.get(1)));
    assertTrue(listen.stream().allMatch(e -> e.state() == SocketState.LISTEN && e.uid().getAsInt() == 0
        && e.ownerStatus() == OwnerStatus.KNOWN));

    // an IPv4 address on an IPv6 file is the v4-mapped address
    assertEquals(2, at(t, "[::ffff:127.0.0.1]:18092").stream().filter(e -> e.remote().isEmpty()).count());
    assertEquals(SocketState.ESTABLISHED,
        at(t, "[::ffff:127.0.0.1]:18092").stream().filter(e -> e.remote().isPresent()).findFirst()
            .orElseThrow().state());
    assertEquals(2, at(t, "[::1]:18091").stream().filter(e -> e.remote().isEmpty()).count());
    assertEquals(SocketState.CLOSE_WAIT, at(t, "127.0.0.1:60384").get(0).state());

    SocketEntry udp = at(t, "127.0.0.1:18093").get(0);
    assertEquals(Protocol.UDP, udp.protocol());
    assertEquals(SocketState.UNCONN, udp.state());
    SocketEntry udpConnected = at(t, "127.0.0.1:18095").get(0);
    assertEquals(SocketState.ESTABLISHED, udpConnected.state());
    assertEquals("127.0.0.1:18093", udpConnected.remote().orElseThrow().toString());
  }

  /** The same sockets without {@code 0} (one field per line), with and without the {@code f} field. */
  @Test
  void devVmNewlineSeparatedReadsTheSame() {
    List<String> nul = describe(parse(Fixtures.ownText("lsof/devvm-F0.txt")));
    ParsedTable withF = parse(Fixtures.ownText("lsof/devvm-F.txt"));
    ParsedTable withoutF = parse(Fixtures.ownText("lsof/devvm-F-nof.txt"));
    assertEquals(0, withF.skippedLines());
    assertEquals(0, withoutF.skippedLines());
    assertEquals(nul, describe(withF));
    assertEquals(nul, describe(withoutF));
  }

  private static List<String> describe(ParsedTable t) {
    return t.entries().stream().map(e -> e.protocol() + " " + e.local() + " " + e.remote() + " " + e.state()
        + " " + e.owners() + " " + e.uid()).collect(Collectors.toList());
  }

  /**
   * {@code lsof -iTCP -iUDP -F pcfnPtTu} without {@code -n -P}: {@code localhost} and service names.
   * postgresql, http-alt, mdns and git are in the table; {@code localhost} stays a name, on the IPv6
   * file of the v4-mapped socket too (which address it stood for is not in the text).
   */
  @Test
  void devVmNamesWithoutDashNP() {
    ParsedTable t = parse(Fixtures.ownText("lsof/devvm-F-names.txt"));
    assertEquals(34, t.entries().size());
    assertEquals(0, t.skippedLines(), t::firstSkippedText);
    assertEquals(2, at(t, "localhost:5432").size());
    assertEquals(2, at(t, "[::1]:8080").size());
    SocketEntry mdns = at(t, "localhost:5353").get(0);
    assertEquals(Protocol.UDP, mdns.protocol());
    assertEquals(2, at(t, "localhost:9418").size());
    assertEquals(2, at(t, "localhost:18092").stream().filter(e -> e.remote().isEmpty()).count());
    assertEquals(2, at(t, "localhost:18090").stream().filter(e -> e.remote().isEmpty()).count());
    assertTrue(t.entries().stream().noneMatch(e -> e.local().address().equals("127.0.0.1")),
        "no host name is turned into an address");
  }

  /**
   * SYNTHETIC: macOS forms no real capture was found for, in lsof's field layout: a scoped link-local
   * UDP name, {@code *} on IPv4 and IPv6 files, a service name, BSD state words, an unbound socket, a
   * regular file, a host name, and broken sets (no protocol, an unknown service).
   */
  private static final String SYNTHETIC_MAC = String.join("\n",
      "p501", "cmDNSResponder", "u65", "f7", "tIPv6", "PUDP", "n[fe80::1%lo0]:5353", "TQR=0", "TQS=0",
      "f8", "tIPv4", "PUDP", "n*:*",
      "p612", "crapportd", "u501", "f9", "tIPv6", "PTCP", "n*:http", "TST=LISTEN",
      "f10", "tIPv4", "PTCP", "n*:8080", "TST=LISTEN",
      "f11", "tIPv4", "PTCP", "n10.0.0.5:50000->17.1.2.3:443", "TST=SYN_RCVD",
      "f12", "tIPv4", "PTCP", "n10.0.0.5:50001->17.1.2.3:443", "TST=FIN_WAIT_1",
      "f13", "tIPv4", "PTCP", "n10.0.0.5:50002->17.1.2.3:443", "TST=CLOSED",
      "f14", "tIPv4", "PTCP", "n10.0.0.5:50003",
      "fcwd", "tDIR", "n/Users/me",
      "f15", "tIPv4", "n10.0.0.5:50004",
      "f16", "tIPv4", "PTCP", "nmymac.local:22", "TST=LISTEN",
      "f17", "tIPv4", "PTCP", "n*:x11", "TST=LISTEN",
      "");

  @Test
  void synthesisedMacForms() {
    ParsedTable t = parse(SYNTHETIC_MAC);
    SocketEntry mdns = one(t, "[fe80::1%lo0]:5353", null);
    assertEquals(Protocol.UDP, mdns.protocol());
    assertEquals(SocketState.UNCONN, mdns.state());
    assertEquals(65, mdns.uid().getAsInt());
    assertEquals(List.of("mDNSResponder"), names(mdns));
    assertEquals(SocketState.LISTEN, one(t, "[::]:80", null).state());
    assertEquals(SocketState.LISTEN, one(t, "0.0.0.0:8080", null).state());
    assertEquals(SocketState.SYN_RECV, one(t, "10.0.0.5:50000", "17.1.2.3:443").state());
    assertEquals(SocketState.FIN_WAIT1, one(t, "10.0.0.5:50001", "17.1.2.3:443").state());
    assertEquals(SocketState.CLOSE, one(t, "10.0.0.5:50002", "17.1.2.3:443").state());
    assertEquals(SocketState.UNKNOWN, one(t, "10.0.0.5:50003", null).state());
    assertEquals(SocketState.LISTEN, one(t, "mymac.local:22", null).state());
    assertEquals(8, t.entries().size());
    // f15 has no protocol, f17 a service not in the table; *:* and the cwd are left out
    assertEquals(2, t.skippedLines());
    assertEquals(49, t.firstSkippedLine().getAsInt());
  }

  @Test
  void emptyAndProcessOnlyOutput() {
    assertEquals(0, parse("").entries().size());
    ParsedTable t = parse("p1\0cinit\0u0\0\n");
    assertEquals(0, t.entries().size());
    assertEquals(0, t.skippedLines());
  }

  /** The field walk stays linear on huge, hostile input: endless fields, one endless name. */
  @Test
  void hugeHostileInputFinishes() {
    String sets = "p1\ncx\nf3\ntIPv4\nPTCP\nn127.0.0.1:80\nTST=LISTEN\n".repeat(20_000);
    String name = "p2\nf4\ntIPv6\nPTCP\nn[" + ":".repeat(1_000_000) + "]:80\n";
    String noise = "\0".repeat(500_000) + "T".repeat(500_000);
    ParsedTable t = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> parse(sets + name + noise));
    assertEquals(20_000, t.entries().size());
    assertEquals(1, t.skippedLines());
  }

  @Property(tries = 400)
  void neverThrowsAndKeepsInvariants(@ForAll("mangled") String text) {
    assertSane(LsofParser.parse(text));
  }

  @Provide
  Arbitrary<String> mangled() {
    List<String> lines = new ArrayList<>(Lines.of(Fixtures.ownText("lsof/devvm-F0.txt")));
    lines.addAll(Lines.of(Fixtures.ownText("lsof/devvm-F-names.txt")).subList(0, 40));
    lines.addAll(Lines.of(SYNTHETIC_MAC));
    return MangledInput.around(lines);
  }
}
