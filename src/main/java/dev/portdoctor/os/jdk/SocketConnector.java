package dev.portdoctor.os.jdk;

import dev.portdoctor.core.ConnectResult;
import dev.portdoctor.core.Connector;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** TCP connects with {@link Socket}: connect with a timeout, close at once, nothing sent. */
public final class SocketConnector implements Connector {

  @Override
  public ConnectResult connect(String address, int port, Duration timeout) {
    InetAddress addr;
    try {
      addr = InetAddress.getByName(address); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      return result(address, port, ConnectResult.Outcome.ERROR, e.getMessage());
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(addr, port), (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
      return result(address, port, ConnectResult.Outcome.CONNECTED, null);
    } catch (SocketTimeoutException e) {
      return result(address, port, ConnectResult.Outcome.TIMEOUT, e.getMessage());
    } catch (ConnectException e) {
      String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
      ConnectResult.Outcome o = m.contains("refused") ? ConnectResult.Outcome.REFUSED
          : m.contains("unreachable") || m.contains("not available") ? ConnectResult.Outcome.UNREACHABLE
          : ConnectResult.Outcome.ERROR;
      return result(address, port, o, e.getMessage());
    } catch (NoRouteToHostException e) {
      return result(address, port, ConnectResult.Outcome.UNREACHABLE, e.getMessage());
    } catch (IOException e) {
      String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
      boolean unreachable = m.contains("unreachable") || m.contains("not supported") || m.contains("cannot assign");
      return result(address, port, unreachable ? ConnectResult.Outcome.UNREACHABLE : ConnectResult.Outcome.ERROR,
          e.getMessage());
    }
  }

  private static ConnectResult result(String address, int port, ConnectResult.Outcome outcome, String message) {
    return new ConnectResult(address, port, outcome, Optional.ofNullable(message));
  }
}
