package dev.portdoctor.testkit;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.arbitraries.StringArbitrary;

/**
 * Inputs for the parsers' robustness properties: random text of every kind, random bytes decoded as
 * ISO-8859-1, text made of the tools' own punctuation, and real captured lines cut at random points or
 * with garbage inserted.
 */
public final class MangledInput {
  private MangledInput() {}

  /** Text a parser must survive, built around {@code realLines} (captured output, one line each). */
  public static Arbitrary<String> around(List<String> realLines) {
    StringArbitrary unicode = Arbitraries.strings().all().ofMaxLength(300);
    Arbitrary<String> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(600)
        .map(b -> new String(b, StandardCharsets.ISO_8859_1));
    StringArbitrary punctuation = Arbitraries.strings()
        .withChars(" \t\n\r\0:.[]()\",=%*/->_").withCharRange('0', '9').withChars("abcdefpnPtTuLISTEN")
        .ofMaxLength(400);
    Arbitrary<String> garbage = Arbitraries.oneOf(unicode.ofMaxLength(12), punctuation.ofMaxLength(12));
    Arbitrary<String> line = Combinators.combine(Arbitraries.of(realLines), Arbitraries.integers().between(0, 3),
        Arbitraries.integers().between(0, 400), Arbitraries.integers().between(0, 400), garbage)
        .as(MangledInput::mangle);
    Arbitrary<String> lines = line.list().ofMaxSize(16).map(l -> String.join("\n", l));
    return Arbitraries.oneOf(unicode, bytes, punctuation, lines);
  }

  /** Keeps a line (op 0), cuts it (1), inserts garbage into it (2), or both (3). */
  static String mangle(String line, int op, int cut, int at, String garbage) {
    String s = line;
    if ((op & 1) != 0) {
      s = s.substring(0, Math.min(cut, s.length()));
    }
    if ((op & 2) != 0) {
      int i = Math.min(at, s.length());
      s = s.substring(0, i) + garbage + s.substring(i);
    }
    return s;
  }
}
