package dev.portdoctor.os.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.testkit.Fixtures;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExcludedPortRangeParserTest {

  private static ExcludedPortRanges parse(String fixture) {
    return ExcludedPortRangeParser.parse(Fixtures.ownText("windows/" + fixture));
  }

  /** Two runs of netsh around an "add": WinNAT ranges, then one administered range marked "*". */
  @Test
  void englishWithAdministeredRange() {
    ExcludedPortRanges r = parse("excludedportrange-tcp-en-administered.txt");
    assertEquals(0, r.skippedLines(), r::firstSkippedText);
    assertEquals(List.of(
        new ExcludedPortRange(80, 80, false), new ExcludedPortRange(5986, 5986, false),
        new ExcludedPortRange(47001, 47001, false), new ExcludedPortRange(56638, 56737, false),
        new ExcludedPortRange(56738, 56837, false),
        new ExcludedPortRange(80, 80, false), new ExcludedPortRange(5986, 5986, false),
        new ExcludedPortRange(47001, 47001, false), new ExcludedPortRange(55679, 55679, true)),
        r.ranges());
    assertEquals(Optional.of(new ExcludedPortRange(56638, 56737, false)), r.rangeContaining(56700));
    assertEquals(Optional.of(new ExcludedPortRange(55679, 55679, true)), r.rangeContaining(55679));
    assertEquals(Optional.empty(), r.rangeContaining(8080));
    assertEquals("55679 *", r.rangeContaining(55679).orElseThrow().toString());
  }

  /** Printed through go test's log: every line indented, a UDP table after the TCP one. */
  @Test
  void indentedTcpAndUdpTables() {
    ExcludedPortRanges r = parse("excludedportrange-tcp-udp-en-gotest.txt");
    assertEquals(0, r.skippedLines(), r::firstSkippedText);
    assertEquals(7, r.ranges().size());
    assertEquals(new ExcludedPortRange(51417, 51516, false), r.ranges().get(3));
    assertEquals(new ExcludedPortRange(56130, 56229, false), r.ranges().get(6));
    assertTrue(r.rangeContaining(51516).isPresent());
    assertFalse(r.rangeContaining(51517 + 100).isPresent());
  }

  /** Spanish headers; the ranges Hyper-V/WSL took, as pasted in microsoft/WSL#5306. */
  @Test
  void spanishHeaders() {
    ExcludedPortRanges r = parse("excludedportrange-tcp-es.txt");
    assertEquals(0, r.skippedLines(), r::firstSkippedText);
    assertEquals(24, r.ranges().size());
    assertEquals(new ExcludedPortRange(1025, 1124, false), r.ranges().get(0));
    assertEquals(new ExcludedPortRange(50000, 50059, false), r.ranges().get(23));
    // the reporter's application wanted 25340: it sits in a reserved block
    assertEquals(Optional.of(new ExcludedPortRange(25313, 25412, false)), r.rangeContaining(25340));
  }

  @Test
  void crlfAndBom() {
    String lf = Fixtures.ownText("windows/excludedportrange-tcp-en-administered.txt");
    assertEquals(ExcludedPortRangeParser.parse(lf),
        ExcludedPortRangeParser.parse("\uFEFF" + lf.replace("\n", "\r\n")));
  }

  /** SYNTHETIC: lines that start with a number but are no range are counted; prose is not. */
  private static final String SYNTHETIC_BAD = String.join("\n",
      "Protocol tcp Port Exclusion Ranges",
      "      5000        4000",
      "     70000       70001",
      "      1000        1001     x",
      "      1000",
      "      2000        2001     *",
      "* - Administered port exclusions.");

  @Test
  void badRangesAreCounted() {
    ExcludedPortRanges r = ExcludedPortRangeParser.parse(SYNTHETIC_BAD);
    assertEquals(List.of(new ExcludedPortRange(2000, 2001, true)), r.ranges());
    assertEquals(4, r.skippedLines());
    assertEquals(2, r.firstSkippedLine().getAsInt());
  }

  @Test
  void rangeChecksItsBounds() {
    assertThrows(IllegalArgumentException.class, () -> new ExcludedPortRange(10, 9, false));
    assertThrows(IllegalArgumentException.class, () -> new ExcludedPortRange(1, 65536, false));
    assertTrue(new ExcludedPortRange(5, 5, false).contains(5));
    assertFalse(new ExcludedPortRange(5, 5, false).contains(6));
  }
}
