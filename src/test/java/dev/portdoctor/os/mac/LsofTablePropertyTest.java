package dev.portdoctor.os.mac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Owner;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.testkit.Fixtures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * lsof prints the same socket two ways, as {@code -F} fields and as its default table: both must
 * parse to the same facts (protocol, local and peer, state, PID; the table's command is lsof's cut of
 * the full one). Generated sockets are rendered both ways as lsof renders them (the layout of the
 * real captures below), and the real captures of the same sockets on this machine are compared too.
 */
class LsofTablePropertyTest {

  /** One socket of one process, as lsof knows it. */
  record Sock(long pid, String command, int fd, boolean v6, boolean tcp, String local, String localPort,
      String peer, String peerPort, String state) {

    String name() {
      String n = local + ":" + localPort;
      return peer == null ? n : n + "->" + peer + ":" + peerPort;
    }

    String fields() {
      StringBuilder b = new StringBuilder();
      b.append('p').append(pid).append("\nc").append(command).append("\nu0\nf").append(fd)
          .append("\nt").append(v6 ? "IPv6" : "IPv4").append("\nP").append(tcp ? "TCP" : "UDP")
          .append("\nn").append(name()).append('\n');
      if (state != null) {
        b.append("TST=").append(state).append('\n');
      }
      return b.append("TQR=0\nTQS=0\n").toString();
    }

    /** lsof escapes a blank as {@code \x20} and cuts the escaped text at 9 characters. */
    String tableCommand() {
      String escaped = command.replace(" ", "\\x20");
      return escaped.length() <= 9 ? escaped : escaped.substring(0, 9);
    }

    String row() {
      return String.format("%-9s %5d root %4du  %-4s %6d      0t0  %s %s%s", tableCommand(), pid, fd,
          v6 ? "IPv6" : "IPv4", 100000 + fd, tcp ? "TCP" : "UDP", name(), state == null ? " " : " (" + state + ")");
    }
  }

  private static final List<String> SERVICES = List.of("http-alt", "commplex-main", "postgresql", "mdns", "ssh",
      "https", "irdmi", "afs3-fileserver");
  private static final List<String> TCP_STATES = List.of("ESTABLISHED", "CLOSE_WAIT", "TIME_WAIT", "SYN_SENT",
      "FIN_WAIT_1", "FIN_WAIT_2", "LAST_ACK", "CLOSING", "SYN_RCVD", "CLOSED");

  @Provide
  Arbitrary<List<Sock>> sockets() {
    return socket().list().ofMinSize(1).ofMaxSize(8);
  }

  private static Arbitrary<Sock> socket() {
    Arbitrary<Boolean> v6 = Arbitraries.of(true, false);
    return v6.flatMap(six -> {
      Arbitrary<String> host = six
          ? Arbitraries.of("*", "[::1]", "[fe80::1%lo0]", "[2001:db8::7]", "127.0.0.1", "localhost")
          : Arbitraries.of("*", "127.0.0.1", "10.1.2.3", "localhost", "myhost.local");
      Arbitrary<String> peerHost = six
          ? Arbitraries.of("[::1]", "[fe80::2%en0]", "10.9.8.7", "localhost")
          : Arbitraries.of("127.0.0.1", "192.168.1.20", "localhost", "build-box.example.com");
      Arbitrary<String> port = Arbitraries.oneOf(Arbitraries.integers().between(1, 65535).map(String::valueOf),
          Arbitraries.of(SERVICES));
      Arbitrary<String> command = Arbitraries.strings().withChars("abcXYZ019._- ").ofMinLength(1).ofMaxLength(15)
          .filter(c -> !c.startsWith(" ") && !c.endsWith(" ") && !c.contains("  "));
      Arbitrary<Boolean> tcp = Arbitraries.of(true, false);
      Arbitrary<Integer> shape = Arbitraries.integers().between(0, TCP_STATES.size());
      return Combinators.combine(Arbitraries.longs().between(1, 99_999), command, Arbitraries.integers().between(3, 999),
          tcp, host, port, peerHost, Combinators.combine(port, shape).as((pp, s) -> new Object[] {pp, s}))
          .as((pid, cmd, fd, isTcp, h, p, ph, rest) -> {
            String peerPort = (String) rest[0];
            int s = (Integer) rest[1];
            boolean connected = s > 0 && !h.equals("*");
            String state = isTcp ? (connected ? TCP_STATES.get(s - 1) : "LISTEN") : null;
            return new Sock(pid, cmd, fd, six, isTcp, h, p, connected ? ph : null, connected ? peerPort : null, state);
          });
    });
  }

  @Property(tries = 500)
  void fieldOutputAndTableGiveTheSameFacts(@ForAll("sockets") List<Sock> socks) {
    StringBuilder fields = new StringBuilder();
    StringBuilder table = new StringBuilder("COMMAND     PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\n");
    for (Sock s : socks) {
      fields.append(s.fields());
      table.append(s.row()).append('\n');
    }
    ParsedTable f = LsofParser.parse(fields.toString());
    ParsedTable t = LsofTableParser.parse(table.toString());
    assertEquals(socks.size(), f.entries().size(), () -> fields + "\n" + f.notes());
    assertEquals(facts(f), facts(t), table::toString);
    assertTrue(t.notes().isEmpty(), () -> t.notes().toString());
    for (int i = 0; i < socks.size(); i++) {
      Sock s = socks.get(i);
      assertEquals(s.command(), name(f.entries().get(i)));
      assertEquals(LsofTableParser.unescape(s.tableCommand()), name(t.entries().get(i)));
      assertTrue(s.command().startsWith(name(t.entries().get(i))), () -> s + " " + t.entries());
    }
  }

  /** The real -F and table captures of the same sockets on the dev VM, numeric and with names. */
  @Test
  void realCapturesOfTheSameSocketsAgree() {
    compareReal("lsof/devvm-table-nP-F.txt", "pasted/lsof-table/devvm-nP-i.txt");
    compareReal("lsof/devvm-table-F-names.txt", "pasted/lsof-table/devvm-i.txt");
  }

  private static void compareReal(String fieldsFile, String tableFile) {
    ParsedTable f = LsofParser.parse(Fixtures.ownText(fieldsFile));
    ParsedTable t = LsofTableParser.parse(Fixtures.ownText(tableFile));
    assertEquals(16, f.entries().size());
    assertEquals(0, f.skippedLines());
    assertTrue(t.notes().isEmpty(), () -> t.notes().toString());
    assertEquals(sorted(facts(f)), sorted(facts(t)));
    List<SocketEntry> fe = sortedEntries(f);
    List<SocketEntry> te = sortedEntries(t);
    for (int i = 0; i < fe.size(); i++) {
      String full = name(fe.get(i));
      String cut = name(te.get(i));
      assertTrue(full.startsWith(cut) && cut.length() >= Math.min(6, full.length()), full + " / " + cut);
    }
  }

  private static List<String> facts(ParsedTable t) {
    List<String> out = new ArrayList<>();
    for (SocketEntry e : t.entries()) {
      out.add(fact(e));
    }
    return out;
  }

  private static String fact(SocketEntry e) {
    return e.protocol() + " " + e.local() + " " + e.remote().map(Object::toString).orElse("-") + " " + e.state()
        + " " + e.ownerStatus() + " " + e.owners().stream().map(Owner::pid).toList();
  }

  private static List<String> sorted(List<String> facts) {
    List<String> s = new ArrayList<>(facts);
    s.sort(Comparator.naturalOrder());
    return s;
  }

  private static List<SocketEntry> sortedEntries(ParsedTable t) {
    List<SocketEntry> s = new ArrayList<>(t.entries());
    s.sort(Comparator.comparing(LsofTablePropertyTest::fact));
    return s;
  }

  private static String name(SocketEntry e) {
    return e.owners().get(0).nameHint().orElse("");
  }
}
