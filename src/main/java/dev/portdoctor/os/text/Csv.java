package dev.portdoctor.os.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The CSV of PowerShell's {@code ConvertTo-Csv}: fields in double quotes, a quote inside doubled; read
 * by the Windows parsers of pasted tables and of the answers of a remote Windows host.
 */
public final class Csv {
  private Csv() {}

  /** The delimiter of a header line: the first comma, semicolon or tab outside quotes (-UseCulture). */
  public static char delimiter(String header) {
    boolean quoted = false;
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == ',' || c == ';' || c == '\t')) {
        return c;
      }
    }
    return ',';
  }

  /** The fields of a line, unquoted; null when a quote is left open. */
  public static List<String> fields(String line, char delimiter) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
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
      } else if (c == delimiter) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (quoted) {
      return null;
    }
    out.add(cur.toString());
    return out;
  }
}
