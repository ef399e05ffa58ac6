package dev.portdoctor.os.windows;

import dev.portdoctor.core.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * Whatever CSV or JSON comes in, the parser returns and its table is sane. The mangled lines are the
 * SYNTHETIC ones of {@link NetTcpConnectionParserTest}: no real capture was found.
 */
class NetTcpConnectionParserPropertyTest {

  @Property(tries = 500)
  void randomStrings(@ForAll @StringLength(max = 400) String text) {
    ParserInvariants.check(NetTcpConnectionParser.parse(text, Protocol.TCP));
    ParserInvariants.check(NetTcpConnectionParser.parse(text, Protocol.UDP));
  }

  @Property(tries = 500)
  void randomBytesAsLatin1(@ForAll @Size(max = 600) byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    ParserInvariants.check(NetTcpConnectionParser.parseCsv(text, Protocol.TCP));
    ParserInvariants.check(NetTcpConnectionParser.parseJson(text, Protocol.TCP));
  }

  @Property(tries = 1000)
  void syntheticLinesCutAndMangled(@ForAll("mangledPowerShell") String text) {
    ParserInvariants.check(NetTcpConnectionParser.parse(text, Protocol.TCP));
  }

  @Provide
  Arbitrary<String> mangledPowerShell() {
    List<String> lines = new ArrayList<>(WindowsText.lines(NetTcpConnectionParserTest.SYNTHETIC_TCP_CSV));
    lines.addAll(WindowsText.lines(NetTcpConnectionParserTest.SYNTHETIC_TCP_JSON));
    return ParserInvariants.mangled(lines);
  }
}
