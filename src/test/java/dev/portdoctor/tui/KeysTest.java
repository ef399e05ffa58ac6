package dev.portdoctor.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portdoctor.tui.Keys.Key;
import dev.portdoctor.tui.Keys.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the terminal sends, turned into keys: characters, escape sequences, a lone Escape. */
class KeysTest {
  /** Bytes as a terminal would send them; TIMEOUT when the test has no more. */
  private static Keys.Source source(String bytes) {
    Deque<Integer> q = new ArrayDeque<>();
    bytes.chars().forEach(q::add);
    return timeout -> q.isEmpty() ? Keys.TIMEOUT : q.poll();
  }

  private static List<Key> all(String bytes) throws Exception {
    Keys.Source s = source(bytes);
    List<Key> out = new ArrayList<>();
    for (Key k = Keys.next(s, 10); k.kind() != Kind.NONE; k = Keys.next(s, 10)) {
      out.add(k);
    }
    return out;
  }

  @Test
  void charactersAndControlKeys() throws Exception {
    assertEquals(List.of(Key.ch('q'), Key.ch('/'), Key.ch('k'), Key.of(Kind.ENTER), Key.of(Kind.BACKSPACE),
        Key.of(Kind.INTERRUPT), Key.of(Kind.OTHER), Key.ch('é')), all("q/k\r\u007f\u0003\u0001é"));
  }

  @Test
  void arrowPageAndHomeKeysInBothForms() throws Exception {
    assertEquals(List.of(Key.of(Kind.UP), Key.of(Kind.DOWN), Key.of(Kind.UP), Key.of(Kind.DOWN),
        Key.of(Kind.PAGE_UP), Key.of(Kind.PAGE_DOWN), Key.of(Kind.HOME), Key.of(Kind.END), Key.of(Kind.HOME),
        Key.of(Kind.END)), all("\u001b[A\u001b[B\u001bOA\u001bOB\u001b[5~\u001b[6~\u001b[H\u001b[F\u001b[1~\u001b[4~"));
  }

  @Test
  void aLoneEscapeIsTheEscapeKeyAndUnknownSequencesAreSwallowedWhole() throws Exception {
    assertEquals(List.of(Key.of(Kind.ESCAPE)), all("\u001b"));
    assertEquals(List.of(Key.of(Kind.OTHER), Key.ch('q')), all("\u001b[1;5C" + "q"), "Ctrl+Right, then q");
    assertEquals(List.of(Key.of(Kind.OTHER)), all("\u001b[200~"));
  }

  @Test
  void endOfInput() throws Exception {
    assertEquals(Kind.EOF, Keys.next(t -> Keys.EOF, 10).kind());
    assertEquals(Kind.NONE, Keys.next(t -> Keys.TIMEOUT, 10).kind());
  }
}
