package dev.portdoctor.os.windows;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.os.windows.TaskkillMessages.Message;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** Whatever taskkill-like text comes in, reading it never throws and PIDs are possible ones. */
class TaskkillMessagesPropertyTest {

  private static void check(String text) {
    for (Message m : TaskkillMessages.messages(text)) {
      m.pid().ifPresent(p -> assertTrue(p > 0 && p <= WindowsText.MAX_PID));
    }
    TaskkillMessages.classify(text, 0);
  }

  @Property(tries = 500)
  void randomStrings(@ForAll @StringLength(max = 300) String text) {
    check(text);
  }

  @Property(tries = 500)
  void randomBytesAsLatin1(@ForAll @Size(max = 400) byte[] bytes) {
    check(new String(bytes, StandardCharsets.ISO_8859_1));
  }

  @Property(tries = 1000)
  void realLinesCutAndMangled(@ForAll("mangledTaskkill") String text) {
    check(text);
  }

  @Provide
  Arbitrary<String> mangledTaskkill() {
    return ParserInvariants.mangled(WindowsFixtureLines.own("taskkill-access-denied-en.txt",
        "taskkill-must-force-then-force-en.txt", "taskkill-not-found-en.txt", "taskkill-not-found-short-en.txt",
        "taskkill-sent-signal-en.txt", "taskkill-not-found-zh.txt", "taskkill-access-denied-zh.txt"));
  }
}
