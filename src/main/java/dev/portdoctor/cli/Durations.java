package dev.portdoctor.cli;

import dev.portdoctor.core.PortDoctorException;
import java.time.Duration;

/** Durations as users type them: {@code 500ms}, {@code 5s}, {@code 2m}; a bare number is seconds. */
final class Durations {
  private Durations() {}

  static Duration parse(String option, String text) {
    String t = text.strip();
    long factor;
    String num;
    if (t.endsWith("ms")) {
      factor = 1;
      num = t.substring(0, t.length() - 2);
    } else if (t.endsWith("s")) {
      factor = 1000;
      num = t.substring(0, t.length() - 1);
    } else if (t.endsWith("m")) {
      factor = 60_000;
      num = t.substring(0, t.length() - 1);
    } else {
      factor = 1000;
      num = t;
    }
    if (num.isEmpty() || num.length() > 9 || !num.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw PortDoctorException.usage("invalid " + option + " '" + text + "': expected a duration such as 500ms, 5s or 2m");
    }
    return Duration.ofMillis(Long.parseLong(num) * factor);
  }
}
