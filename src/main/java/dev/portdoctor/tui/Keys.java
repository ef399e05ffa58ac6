package dev.portdoctor.tui;

import java.io.IOException;

/**
 * Turns what the terminal sends into keys: characters, and the escape sequences of the arrow, page and
 * home/end keys (both the normal {@code ESC [ A} and the keypad-transmit {@code ESC O A} forms). A lone
 * ESC is the Escape key once nothing follows it for {@link #ESCAPE_WAIT_MS}.
 */
final class Keys {
  /** How long to wait after ESC for the rest of a sequence. */
  static final long ESCAPE_WAIT_MS = 50;
  /** What {@link Source#read} returns when nothing came in time. */
  static final int TIMEOUT = -2;
  /** What {@link Source#read} returns at the end of input. */
  static final int EOF = -1;

  private Keys() {}

  /** The kinds of key {@code watch} reacts to. */
  enum Kind { CHAR, UP, DOWN, PAGE_UP, PAGE_DOWN, HOME, END, ENTER, ESCAPE, BACKSPACE, INTERRUPT, EOF, NONE, OTHER }

  /** One key; {@code ch} for {@link Kind#CHAR}. */
  record Key(Kind kind, char ch) {
    static Key of(Kind kind) {
      return new Key(kind, '\0');
    }

    static Key ch(char c) {
      return new Key(Kind.CHAR, c);
    }
  }

  /** Characters from the terminal, each within a timeout. */
  interface Source {
    /** A character, {@link #TIMEOUT} or {@link #EOF}. */
    int read(long timeoutMs) throws IOException;
  }

  /** The next key within {@code timeoutMs}, or {@link Kind#NONE} when none came. */
  static Key next(Source in, long timeoutMs) throws IOException {
    int c = in.read(timeoutMs);
    if (c == TIMEOUT) {
      return Key.of(Kind.NONE);
    }
    if (c == EOF) {
      return Key.of(Kind.EOF);
    }
    return switch (c) {
      case 3 -> Key.of(Kind.INTERRUPT);
      case '\r', '\n' -> Key.of(Kind.ENTER);
      case 127, 8 -> Key.of(Kind.BACKSPACE);
      case 27 -> escape(in);
      default -> c < 32 ? Key.of(Kind.OTHER) : Key.ch((char) c);
    };
  }

  private static Key escape(Source in) throws IOException {
    int c = in.read(ESCAPE_WAIT_MS);
    if (c == TIMEOUT || c == EOF) {
      return Key.of(Kind.ESCAPE);
    }
    if (c == 'O') {
      int f = in.read(ESCAPE_WAIT_MS);
      return f < 0 ? Key.of(Kind.OTHER) : finalKey(f, "");
    }
    if (c != '[') {
      return Key.of(Kind.OTHER); // Alt+key
    }
    StringBuilder params = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      int b = in.read(ESCAPE_WAIT_MS);
      if (b < 0) {
        return Key.of(Kind.OTHER);
      }
      if (b >= 0x40 && b <= 0x7e) {
        return finalKey(b, params.toString());
      }
      params.append((char) b);
    }
    return Key.of(Kind.OTHER);
  }

  private static Key finalKey(int f, String params) {
    return switch (f) {
      case 'A' -> Key.of(Kind.UP);
      case 'B' -> Key.of(Kind.DOWN);
      case 'H' -> Key.of(Kind.HOME);
      case 'F' -> Key.of(Kind.END);
      case '~' -> switch (params) {
        case "1", "7" -> Key.of(Kind.HOME);
        case "4", "8" -> Key.of(Kind.END);
        case "5" -> Key.of(Kind.PAGE_UP);
        case "6" -> Key.of(Kind.PAGE_DOWN);
        default -> Key.of(Kind.OTHER);
      };
      default -> Key.of(Kind.OTHER);
    };
  }
}
