package dev.portdoctor.os.remote;

import dev.portdoctor.core.ProcessInfo;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Parses the process facts of a Windows host: {@code Get-CimInstance Win32_Process | Select-Object
 * ProcessId,ParentProcessId,Name,CommandLine,Start | ConvertTo-Csv -NoTypeInformation}, where Start is
 * the CreationDate in UTC as ISO 8601 ({@code ToString('o')}), so that no culture's date format is read.
 */
final class WindowsProcesses {
  private WindowsProcesses() {}

  static Map<Long, ProcessInfo> parseCsv(String text) {
    Map<Long, ProcessInfo> out = new LinkedHashMap<>();
    List<String> header = null;
    for (String raw : text.split("\n", -1)) {
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      if (line.isBlank() || (header == null && line.startsWith("#"))) {
        continue;
      }
      List<String> f = fields(line);
      if (f == null) {
        continue;
      }
      if (header == null) {
        header = f;
        continue;
      }
      if (f.size() != header.size()) {
        continue;
      }
      String pid = get(header, f, "ProcessId");
      if (pid == null || pid.isEmpty() || !pid.chars().allMatch(Character::isDigit) || pid.length() > 10) {
        continue;
      }
      String ppid = get(header, f, "ParentProcessId");
      OptionalLong parent = ppid != null && !ppid.isEmpty() && ppid.length() <= 10 && ppid.chars().allMatch(Character::isDigit)
          ? OptionalLong.of(Long.parseLong(ppid)) : OptionalLong.empty();
      String name = get(header, f, "Name");
      String cmd = get(header, f, "CommandLine");
      Optional<Instant> start = Optional.empty();
      String s = get(header, f, "Start");
      if (s != null && !s.isEmpty()) {
        try {
          start = Optional.of(java.time.OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
          // unknown start time: the PID alone identifies it
        }
      }
      long p = Long.parseLong(pid);
      out.putIfAbsent(p, new ProcessInfo(p, parent, name == null || name.isEmpty() ? "?" : name, Optional.empty(),
          cmd == null || cmd.isEmpty() ? Optional.empty() : Optional.of(cmd), Optional.empty(), OptionalInt.empty(), start));
    }
    return out;
  }

  private static String get(List<String> header, List<String> f, String column) {
    int i = header.indexOf(column);
    return i < 0 ? null : f.get(i);
  }

  /** The fields of one CSV line: quoted with doubled quotes inside, or bare; null when a quote is open. */
  static List<String> fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        any = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
        any = true;
      }
    }
    if (quoted) {
      return null;
    }
    out.add(cur.toString());
    return any || out.size() > 1 ? out : null;
  }
}
