package dev.portdoctor.os.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Whatever netsh-like text comes in, the parser returns and every range is a valid one. */
class ExcludedPortRangeParserPropertyTest {

  private static void check(ExcludedPortRanges r) {
    for (ExcludedPortRange x : r.ranges()) {
      assertTrue(x.start() >= 0 && x.start() <= x.end() && x.end() <= 65535, x::toString);
    }
    assertEquals(r.skippedLines() > 0, r.firstSkippedLine().isPresent());
  }

  @Property(tries = 500)
  void randomStrings(@ForAll @StringLength(max = 400) String text) {
    check(ExcludedPortRangeParser.parse(text));
  }

  @Property(tries = 500)
  void randomBytesAsLatin1(@ForAll @Size(max = 600) byte[] bytes) {
    check(ExcludedPortRangeParser.parse(new String(bytes, StandardCharsets.ISO_8859_1)));
  }

  @Property(tries = 1000)
  void realLinesCutAndMangled(@ForAll("mangledNetsh") String text) {
    check(ExcludedPortRangeParser.parse(text));
  }

  @Provide
  Arbitrary<String> mangledNetsh() {
    return ParserInvariants.mangled(WindowsFixtureLines.own("excludedportrange-tcp-en-administered.txt",
        "excludedportrange-tcp-udp-en-gotest.txt", "excludedportrange-tcp-es.txt"));
  }
}
