package dev.portdoctor.os.windows;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.os.text.ServiceNames;

/**
 * netstat's {@code address:port} as {@code netstat -a} without {@code -n} prints it: the address may be
 * a host name ({@code notebook:0}, {@code DESKTOP-7GQ2T1C:49671}) and the port a service name
 * ({@code ec2-52-1-2-3:https}). Host names are kept as the names they are (never resolved or turned
 * into addresses); service names go through {@link ServiceNames}, and one not in it makes the endpoint
 * unreadable rather than guessed. Literal addresses are read by {@link WindowsText#endpoint} first.
 */
final class WindowsNamedEndpoint {
  /** The longest host name DNS allows. */
  private static final int MAX_HOST = 253;

  private WindowsNamedEndpoint() {}

  /** The endpoint, literal or named; null when it is neither. */
  static Endpoint parse(String token) {
    Endpoint literal = WindowsText.endpoint(token);
    if (literal != null) {
      return literal;
    }
    int colon = token.lastIndexOf(':');
    if (colon <= 0 || colon == token.length() - 1 || token.startsWith("[")) {
      return null;
    }
    String host = token.substring(0, colon);
    String portText = token.substring(colon + 1);
    if (!isHostName(host)) {
      return null;
    }
    int port = WindowsText.port(portText);
    if (port < 0 && !WindowsText.isDigits(portText)) {
      port = ServiceNames.port(portText);
    }
    return port < 0 ? null : new Endpoint(host, port);
  }

  /** Letters, digits, {@code -}, {@code _} and dots, with at least one letter: a resolved name. */
  static boolean isHostName(String s) {
    if (s.isEmpty() || s.length() > MAX_HOST || !Character.isLetterOrDigit(s.charAt(0))) {
      return false;
    }
    boolean letter = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 128 && Character.isLetter(c)) {
        letter = true;
      } else if (!(c >= '0' && c <= '9') && c != '-' && c != '_' && c != '.') {
        return false;
      }
    }
    return letter;
  }
}
