package dev.portdoctor.os.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portdoctor.os.windows.TaskkillMessages.Message;
import dev.portdoctor.os.windows.TaskkillMessages.Outcome;
import dev.portdoctor.testkit.Fixtures;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TaskkillMessagesTest {

  private static String capture(String name) {
    return Fixtures.ownText("windows/" + name);
  }

  @Test
  void args() {
    assertEquals(List.of("taskkill", "/PID", "1234"), TaskkillMessages.args(1234, false, false));
    assertEquals(List.of("taskkill", "/PID", "1234", "/T"), TaskkillMessages.args(1234, true, false));
    assertEquals(List.of("taskkill", "/PID", "1234", "/F"), TaskkillMessages.args(1234, false, true));
    assertEquals(List.of("taskkill", "/PID", "4294967295", "/T", "/F"),
        TaskkillMessages.args(4294967295L, true, true));
    assertThrows(IllegalArgumentException.class, () -> TaskkillMessages.args(0, false, true));
    assertThrows(IllegalArgumentException.class, () -> TaskkillMessages.args(-4, false, true));
    assertThrows(IllegalArgumentException.class, () -> TaskkillMessages.args(1L << 32, false, true));
  }

  @Test
  void accessDenied() {
    List<Message> m = TaskkillMessages.messages(capture("taskkill-access-denied-en.txt"));
    assertEquals(1, m.size());
    assertEquals(Outcome.ACCESS_DENIED, m.get(0).outcome());
    assertEquals(OptionalLong.of(6020), m.get(0).pid());
    assertEquals(Outcome.ACCESS_DENIED, TaskkillMessages.classify(capture("taskkill-access-denied-en.txt")));
  }

  @Test
  void mustForce() {
    assertEquals(Outcome.MUST_FORCE, TaskkillMessages.classify(capture("taskkill-must-force-en.txt")));
    assertEquals(OptionalLong.of(28236),
        TaskkillMessages.messages(capture("taskkill-must-force-en.txt")).get(0).pid());
  }

  /** A tree kill refused without /F, then done with /F: two messages, the first one decides. */
  @Test
  void mustForceThenSuccess() {
    String text = capture("taskkill-must-force-then-force-en.txt");
    List<Message> m = TaskkillMessages.messages(text);
    assertEquals(List.of(Outcome.MUST_FORCE, Outcome.SUCCESS), m.stream().map(Message::outcome).toList());
    assertEquals(OptionalLong.of(3028), m.get(0).pid());
    assertEquals(OptionalLong.of(14164), m.get(1).pid());
    assertEquals(Outcome.MUST_FORCE, TaskkillMessages.classify(text));
    String success = text.substring(text.indexOf("SUCCESS"));
    assertEquals(Outcome.SUCCESS, TaskkillMessages.classify(success));
  }

  @Test
  void notFound() {
    List<Message> m = TaskkillMessages.messages(capture("taskkill-not-found-en.txt"));
    assertEquals(Outcome.NOT_FOUND, m.get(0).outcome());
    assertEquals(OptionalLong.of(5308), m.get(0).pid());
    List<Message> shorter = TaskkillMessages.messages(capture("taskkill-not-found-short-en.txt"));
    assertEquals(Outcome.NOT_FOUND, shorter.get(0).outcome());
    assertEquals(OptionalLong.of(22524), shorter.get(0).pid());
  }

  @Test
  void sentTerminationSignalIsSuccess() {
    List<Message> m = TaskkillMessages.messages(capture("taskkill-sent-signal-en.txt"));
    assertEquals(Outcome.SUCCESS, m.get(0).outcome());
    assertEquals(OptionalLong.of(12312), m.get(0).pid());
  }

  @Test
  void chinese() {
    List<Message> nf = TaskkillMessages.messages(capture("taskkill-not-found-zh.txt"));
    assertEquals(Outcome.NOT_FOUND, nf.get(0).outcome());
    assertEquals(OptionalLong.of(15132), nf.get(0).pid());
    String denied = capture("taskkill-access-denied-zh.txt");
    assertEquals(Outcome.ACCESS_DENIED, TaskkillMessages.classify(denied));
    assertTrue(TaskkillMessages.messages(denied).get(0).pid().isEmpty()); // the reporter wrote XXXX
  }

  /** SYNTHETIC: a message in a language not known here; only the exit code can say it worked. */
  private static final String SYNTHETIC_UNKNOWN_LANGUAGE = "ÉXITO: algo\r\n";

  @Test
  void unrecognizedTextFallsBackToExitCodeZeroOnly() {
    assertEquals(Outcome.OTHER, TaskkillMessages.classify(SYNTHETIC_UNKNOWN_LANGUAGE));
    assertEquals(Outcome.SUCCESS, TaskkillMessages.classify(SYNTHETIC_UNKNOWN_LANGUAGE, 0));
    assertEquals(Outcome.OTHER, TaskkillMessages.classify(SYNTHETIC_UNKNOWN_LANGUAGE, 128));
    assertEquals(Outcome.OTHER, TaskkillMessages.classify("", 1));
    // recognized text wins over the exit code
    assertEquals(Outcome.NOT_FOUND, TaskkillMessages.classify(capture("taskkill-not-found-en.txt"), 0));
  }
}
