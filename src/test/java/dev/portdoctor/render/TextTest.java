package dev.portdoctor.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.portdoctor.testkit.JsonOut;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextTest {
  @Test
  void controlCharactersAreEscaped() {
    assertEquals("a\\e[2Jb", Text.escape("a\u001b[2Jb"));
    assertEquals("line1\\nline2\\r\\t", Text.escape("line1\nline2\r\t"));
    assertEquals("\\x00\\x7f\\x9b", Text.escape("\u0000\u007f\u009b"));
    assertEquals("evil\\u202egnp.exe", Text.escape("evil\u202egnp.exe"));
    assertEquals("plain text: ü 你好", Text.escape("plain text: ü 你好"));
    assertEquals("C:\\Windows\\x", Text.escape("C:\\Windows\\x"));
  }

  @Test
  void jsonEscapesWhatATerminalWouldObeyAndStaysValid() {
    String hostile = "x\u001b]0;pwned\u0007\u009b31m\u202e\u200b\nrow";
    String json = Json.toString(Map.of("name", hostile));
    for (char c : json.toCharArray()) {
      assertFalse(Text.needsEscape(c) && c != '\n' && c != ' ', () -> "raw " + (int) c + " in " + json);
    }
    assertEquals(hostile, JsonOut.parse(json).get("name"), "the value survives a round trip");
  }
}
