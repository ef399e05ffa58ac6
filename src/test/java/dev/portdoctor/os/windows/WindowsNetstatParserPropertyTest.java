package dev.portdoctor.os.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Whatever netstat-like text comes in, the parser returns (fast) and its table is sane. */
class WindowsNetstatParserPropertyTest {

  private static void parseAndCheck(String text) {
    WindowsNetstat n = WindowsNetstatParser.parseWithOwners(text);
    ParserInvariants.check(n.table());
    assertEquals(n.table().entries().size(), n.owners().size());
  }

  @Property(tries = 500)
  void randomStrings(@ForAll @StringLength(max = 400) String text) {
    parseAndCheck(text);
  }

  @Property(tries = 500)
  void randomBytesAsLatin1(@ForAll @Size(max = 600) byte[] bytes) {
    parseAndCheck(new String(bytes, StandardCharsets.ISO_8859_1));
  }

  @Property(tries = 1000)
  void realLinesCutAndMangled(@ForAll("mangledNetstat") String text) {
    parseAndCheck(text);
  }

  @Provide
  Arbitrary<String> mangledNetstat() {
    List<String> lines = new ArrayList<>(WindowsFixtureLines.own("netstat-ano-de-win81.txt",
        "netstat-nabo-es.txt", "netstat-anb-fr-head.txt", "netstat-anb-fr-tail.txt"));
    lines.addAll(WindowsFixtureLines.sharedIfPresent("windows-netstat/jc-win10-netstat-aonb-en.txt",
        "windows-netstat/inspec-winsrv-netstat-anbo-select-string.txt"));
    return ParserInvariants.mangled(lines);
  }
}
