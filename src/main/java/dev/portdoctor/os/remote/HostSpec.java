package dev.portdoctor.os.remote;

import dev.portdoctor.core.PortDoctorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One host to ask, as the user named it: {@code [user@]host[:port]} ({@code web-3}, {@code deploy@10.0.0.5:2222},
 * {@code [::1]:2222}), or an inventory entry (its name, {@code ansible_host}, {@code ansible_port},
 * {@code ansible_user}). The text goes to ssh as one argument of its argument list, never through a shell;
 * it is still checked, so that a value can never be read by ssh as an option ({@code -oProxyCommand=...}).
 *
 * @param name what the output calls the host (the text given, or the inventory name)
 * @param user the login name, when given (else ssh's own choice: ~/.ssh/config, the local user)
 * @param host the host name or address passed to ssh (an ssh config alias works)
 * @param port the ssh port, when given (else ssh's own choice)
 */
public record HostSpec(String name, Optional<String> user, String host, OptionalInt port) {

  public HostSpec {
    check(name, "host");
    user.ifPresent(u -> checkUser(u, name));
    checkHost(host, name);
    if (port.isPresent() && (port.getAsInt() < 1 || port.getAsInt() > 65535)) {
      throw PortDoctorException.usage("invalid host '" + name + "': ssh port " + port.getAsInt() + " is not 1 to 65535");
    }
  }

  /** Parses {@code [user@]host[:port]}; an IPv6 address with a port goes in brackets: {@code [::1]:2222}. */
  public static HostSpec parse(String text) {
    String t = text.strip();
    check(t, "host");
    Optional<String> user = Optional.empty();
    String rest = t;
    int at = t.lastIndexOf('@');
    if (at >= 0) {
      user = Optional.of(t.substring(0, at));
      rest = t.substring(at + 1);
    }
    String host;
    OptionalInt port = OptionalInt.empty();
    if (rest.startsWith("[")) {
      int close = rest.indexOf(']');
      if (close < 0) {
        throw PortDoctorException.usage("invalid host '" + text + "': no ']' after the IPv6 address");
      }
      host = rest.substring(1, close);
      String after = rest.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw PortDoctorException.usage("invalid host '" + text + "': expected ':PORT' after ']'");
        }
        port = OptionalInt.of(port(after.substring(1), text));
      }
    } else {
      int colon = rest.indexOf(':');
      if (colon >= 0 && colon == rest.lastIndexOf(':')) {
        host = rest.substring(0, colon);
        port = OptionalInt.of(port(rest.substring(colon + 1), text));
      } else {
        host = rest; // a bare IPv6 address (no port), or no colon at all
      }
    }
    return new HostSpec(t, user, host, port);
  }

  /** Several hosts, comma-separated: {@code web-1,web-2,deploy@db-1:2222}. */
  public static List<HostSpec> parseList(String text) {
    List<HostSpec> out = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      if (part.isBlank()) {
        throw PortDoctorException.usage("invalid --on '" + text + "': empty host name in the list");
      }
      out.add(parse(part));
    }
    return out;
  }

  /** The destination argument of ssh: {@code host} or {@code user@host}. */
  public String destination() {
    return user.map(u -> u + "@" + host).orElse(host);
  }

  /** {@code user@host:port} as given, for messages. */
  @Override
  public String toString() {
    return name;
  }

  private static int port(String digits, String text) {
    if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw PortDoctorException.usage("invalid host '" + text + "': the ssh port must be a number from 1 to 65535");
    }
    return Integer.parseInt(digits);
  }

  /** No empty value, no leading '-', no blank or control character anywhere. */
  private static void check(String value, String what) {
    if (value == null || value.isEmpty()) {
      throw PortDoctorException.usage("invalid " + what + " '': empty");
    }
    if (value.charAt(0) == '-') {
      throw PortDoctorException.usage("invalid " + what + " '" + printable(value) + "': it must not start with '-'"
          + " (ssh would read it as an option)");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == 0x7f || Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
        throw PortDoctorException.usage("invalid " + what + " '" + printable(value)
            + "': blanks and control characters are not allowed");
      }
    }
  }

  private static void checkHost(String host, String name) {
    check(host, "host");
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == '_' || c == ':' || c == '%';
      if (!ok) {
        throw PortDoctorException.usage("invalid host '" + printable(name) + "': '" + printable(String.valueOf(c))
            + "' cannot be part of a host name or address");
      }
    }
  }

  private static void checkUser(String user, String name) {
    check(user, "user");
    for (int i = 0; i < user.length(); i++) {
      char c = user.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == '_' || c == '$' || c == '\\';
      if (!ok) {
        throw PortDoctorException.usage("invalid host '" + printable(name) + "': '" + printable(String.valueOf(c))
            + "' cannot be part of a user name");
      }
    }
  }

  /** Control characters as {@code \xNN}, so that the message itself is safe to print. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 200; i++) {
      char c = s.charAt(i);
      if (c < ' ' || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        b.append(String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
