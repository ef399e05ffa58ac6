package dev.portdoctor.os.remote;

import dev.portdoctor.core.ProcessInfo;
import dev.portdoctor.os.text.Csv;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
      List<String> f = Csv.fields(line, ','); // blank lines are skipped above
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
}
