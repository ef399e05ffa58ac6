package dev.portdoctor.os.jdk;

import dev.portdoctor.core.BindOutcome;
import dev.portdoctor.core.PortProbe;
import dev.portdoctor.core.ProbeResult;
import dev.portdoctor.core.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.Locale;
import java.util.Optional;

/**
 * Trial binds through NIO channels, opened in the address's own family: an {@code AF_INET} socket for
 * IPv4 and an {@code AF_INET6} one for IPv6, which on Linux and macOS is dual-stack for {@code ::} (it
 * also takes the IPv4 port), as a server's would be. TCP sockets are bound with a backlog, exactly as
 * {@code listen()} would follow.
 */
public final class ChannelPortProbe implements PortProbe {

  @Override
  public ProbeResult probe(Protocol protocol, String address, int port, boolean reuseAddress) {
    InetAddress addr;
    try {
      addr = InetAddress.getByName(address); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      return result(protocol, address, port, reuseAddress, BindOutcome.ADDRESS_NOT_AVAILABLE, e.getMessage());
    }
    ProtocolFamily family = addr instanceof java.net.Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    NetworkChannel ch = null;
    try {
      ch = protocol == Protocol.TCP ? ServerSocketChannel.open(family) : DatagramChannel.open(family);
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
      if (ch instanceof ServerSocketChannel ssc) {
        ssc.bind(new InetSocketAddress(addr, port), 1);
      } else {
        ch.bind(new InetSocketAddress(addr, port));
      }
      return result(protocol, address, port, reuseAddress, BindOutcome.FREE, null);
    } catch (UnsupportedOperationException e) {
      return result(protocol, address, port, reuseAddress, BindOutcome.FAMILY_NOT_SUPPORTED, e.getMessage());
    } catch (IOException e) {
      return result(protocol, address, port, reuseAddress, classify(e), e.getMessage());
    } finally {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException e) {
          // closing a bound, unconnected socket does not fail in a way that matters here
        }
      }
    }
  }

  /** Maps the JDK's exception to an outcome; its message is the OS's strerror text. */
  static BindOutcome classify(IOException e) {
    String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    if (m.contains("address already in use") || m.contains("only one usage of each socket address")) {
      return BindOutcome.IN_USE;
    }
    if (m.contains("permission denied") || m.contains("access permissions") || m.contains("not permitted")) {
      return BindOutcome.PERMISSION;
    }
    if (m.contains("cannot assign requested address") || m.contains("can't assign requested address")
        || m.contains("requested address is not valid")) {
      return BindOutcome.ADDRESS_NOT_AVAILABLE;
    }
    if (m.contains("address family not supported") || m.contains("protocol family unavailable")
        || m.contains("protocol not supported")) {
      return BindOutcome.FAMILY_NOT_SUPPORTED;
    }
    return BindOutcome.ERROR;
  }

  private static ProbeResult result(Protocol protocol, String address, int port, boolean reuse, BindOutcome outcome, String message) {
    return new ProbeResult(protocol, address, port, reuse, outcome, Optional.ofNullable(message));
  }
}
