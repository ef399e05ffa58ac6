package dev.portdoctor.render;

/**
 * Makes untrusted text (process names, command lines) safe to print on a terminal: every control
 * character (C0, DEL, C1), and the invisible characters that reorder or hide text (bidi overrides,
 * zero-width marks), is shown as an escape, so the text stays on one line and no escape sequence
 * reaches the terminal.
 */
public final class Text {
  private Text() {}

  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    int i = 0;
    while (i < s.length() && !needsEscape(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    sb.append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!needsEscape(c)) {
        sb.append(c);
        continue;
      }
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 0x1b -> sb.append("\\e");
        default -> {
          if (c < 0x100) {
            sb.append("\\x").append(hex2(c));
          } else {
            sb.append("\\u").append(String.format("%04x", (int) c));
          }
        }
      }
    }
    return sb.toString();
  }

  /** Control characters, DEL, C1 controls, zero-width and bidi formatting characters, lone surrogates are not checked. */
  public static boolean needsEscape(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || (c >= 0x200b && c <= 0x200f)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0xfeff;
  }

  private static String hex2(char c) {
    String h = Integer.toHexString(c);
    return h.length() == 1 ? "0" + h : h;
  }

  /** Cuts to at most {@code max} characters, marking the cut with an ellipsis. */
  public static String truncate(String s, int max) {
    if (s.length() <= max || max < 2) {
      return s;
    }
    return s.substring(0, max - 1) + "…";
  }
}
