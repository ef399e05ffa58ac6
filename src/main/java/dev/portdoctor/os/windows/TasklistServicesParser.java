package dev.portdoctor.os.windows;

import dev.portdoctor.os.text.Numbers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the services each process hosts from {@code tasklist /svc} (the table format): a row is the
 * image name (it may hold spaces), the PID, then services separated by commas, wrapped onto indented
 * continuation lines; {@code N/A} means none. The header is localized and skipped by shape.
 */
public final class TasklistServicesParser {
  private TasklistServicesParser() {}

  /** PID to its services, in the order printed. */
  public static Map<Long, List<String>> parse(String text) {
    Map<Long, List<String>> out = new LinkedHashMap<>();
    List<String> current = null;
    for (String raw : WindowsText.lines(WindowsText.stripBom(text))) {
      if (raw.isBlank()) {
        continue;
      }
      boolean continuation = Character.isWhitespace(raw.charAt(0));
      List<String> tokens = WindowsText.tokens(raw);
      if (continuation && current != null) {
        addServices(String.join(" ", tokens), current);
        continue;
      }
      current = null;
      int pidAt = -1;
      for (int i = 1; i < tokens.size(); i++) {
        String t = tokens.get(i);
        if (t.length() <= 10 && Numbers.isDigits(t)) {
          pidAt = i;
          break;
        }
      }
      if (pidAt < 0) {
        continue; // the header, its underline, or a line of another kind
      }
      long pid = Long.parseLong(tokens.get(pidAt));
      List<String> services = new ArrayList<>();
      addServices(String.join(" ", tokens.subList(pidAt + 1, tokens.size())), services);
      out.put(pid, services);
      current = services;
    }
    return out;
  }

  private static void addServices(String text, List<String> into) {
    for (String s : text.split(",")) {
      String name = s.strip();
      if (!name.isEmpty() && !name.equals("N/A")) {
        into.add(name);
      }
    }
  }
}
