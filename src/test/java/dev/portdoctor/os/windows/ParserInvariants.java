package dev.portdoctor.os.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.Owner;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.SocketEntry;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** What every parsed table must satisfy, whatever the input, and inputs made of real lines, mangled. */
final class ParserInvariants {
  private ParserInvariants() {}

  static void check(ParsedTable t) {
    for (SocketEntry e : t.entries()) {
      checkPort(e.local());
      e.remote().ifPresent(ParserInvariants::checkPort);
      for (Owner o : e.owners()) {
        assertTrue(o.pid() > 0 && o.pid() <= WindowsText.MAX_PID, () -> "pid " + o.pid());
      }
    }
    assertTrue(t.skippedLines() >= 0);
    assertEquals(t.skippedLines() > 0, t.firstSkippedLine().isPresent());
    assertTrue(t.firstSkippedText().length() <= WindowsText.CLIP);
  }

  private static void checkPort(Endpoint e) {
    assertTrue(e.port() >= 0 && e.port() <= 65535, e::toString);
    assertTrue(!e.address().isEmpty());
  }

  /**
   * Real lines, shuffled into a text with LF or CRLF, then cut at a random place and with random garbage
   * inserted at another.
   */
  static Arbitrary<String> mangled(List<String> realLines) {
    Arbitrary<List<String>> picks = Arbitraries.of(realLines).list().ofMinSize(1).ofMaxSize(25);
    Arbitrary<String> garbage = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(12),
        Arbitraries.of("[", "]", ":", "*:*", ">", " ", "\r", "\n", "\"", ",", "%", "[::", "TCP ", "UDP ",
            "0", "65536", "99999999999", "\uFEFF", "{", "}", "*"));
    return Combinators.combine(picks, Arbitraries.of("\n", "\r\n"), Arbitraries.integers().between(0, 100_000),
        Arbitraries.integers().between(0, 100_000), garbage)
        .as((lines, eol, cut, at, junk) -> {
          String text = String.join(eol, lines);
          String cutText = text.substring(0, cut % (text.length() + 1));
          int pos = at % (cutText.length() + 1);
          return cutText.substring(0, pos) + junk + cutText.substring(pos);
        });
  }
}
