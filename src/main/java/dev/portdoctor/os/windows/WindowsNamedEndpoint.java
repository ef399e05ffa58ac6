package dev.portdoctor.os.windows;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.os.text.Addresses;
import dev.portdoctor.os.text.ServiceNames;

/**
 * netstat's {@code address:port} as {@code netstat -a} without {@code -n} prints it: the address may be
 * a host name ({@code notebook:0}, {@code DESKTOP-7GQ2T1C:49671}) and the port a service name
 * ({@code ec2-52-1-2-3:https}). Host names are kept as the names they are (never resolved or turned
 * into addresses); service names go through {@link ServiceNames}, and one not in it makes the endpoint
 * unreadable rather than guessed. Literal addresses are read by {@link WindowsText#endpoint} first.
 */
final class WindowsNamedEndpoint {

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
    if (!Addresses.isHostName(host)) {
      return null;
    }
    int port = WindowsText.port(portText);
    if (port < 0 && !WindowsText.isDigits(portText)) {
      port = ServiceNames.port(portText);
    }
    return port < 0 ? null : new Endpoint(host, port);
  }


}
