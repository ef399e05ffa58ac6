package dev.portdoctor.os.mac;

import dev.portdoctor.core.Endpoint;
import dev.portdoctor.core.Owner;
import dev.portdoctor.core.OwnerStatus;
import dev.portdoctor.core.Protocol;
import dev.portdoctor.core.SocketEntry;
import dev.portdoctor.core.SocketState;
import dev.portdoctor.os.text.Numbers;
import dev.portdoctor.os.text.Row;
import dev.portdoctor.os.text.StateNames;
import dev.portdoctor.os.text.TableBuilder;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The state machine behind {@link LsofParser}: it walks the fields of {@code lsof -F} output in order,
 * keeps the current process, and turns each file set into an entry when the next one starts.
 */
final class LsofReader {
  /** Fields that describe the process, not one of its files. */
  private static final String PROCESS_FIELDS = "pgRcuLKM";

  private final TableBuilder table;

  private long pid = -1;
  private String command;
  private long uid = -1;

  private boolean inFile;
  private long seen;
  private int fileLine;
  private final StringBuilder fileText = new StringBuilder();
  private String type;
  private String proto;
  private String name;
  private String tcpState;

  LsofReader(TableBuilder table) {
    this.table = table;
  }

  /** Fields end at NUL ({@code -F0}) or newline; a newline also ends a line for line numbers. */
  void read(String text) {
    int len = text.length();
    int lineNo = 1;
    int pos = 0;
    while (pos < len) {
      int end = pos;
      while (end < len && text.charAt(end) != '\0' && text.charAt(end) != '\n') {
        end++;
      }
      int stop = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
      if (stop > pos) {
        field(text.substring(pos, stop), lineNo);
      }
      if (end < len && text.charAt(end) == '\n') {
        lineNo++;
      }
      pos = end + 1;
    }
    endFile();
  }

  private void field(String f, int lineNo) {
    char id = f.charAt(0);
    String value = f.substring(1);
    if (id == 'p') {
      endFile();
      long p = Numbers.dec(value);
      pid = p > 0 ? p : -1;
      command = null;
      uid = -1;
      return;
    }
    if (PROCESS_FIELDS.indexOf(id) >= 0) {
      if (id == 'c') {
        command = value;
      } else if (id == 'u') {
        uid = Numbers.dec(value);
      }
      return;
    }
    if (id == 'f' || (inFile && id != 'T' && wasSeen(id))) {
      endFile();
    }
    if (!inFile) {
      startFile(lineNo);
    }
    markSeen(id);
    if (fileText.length() < 400) {
      fileText.append(' ').append(f);
    }
    if (id == 't') {
      type = value;
    } else if (id == 'P') {
      proto = value;
    } else if (id == 'n') {
      name = value;
    } else if (id == 'T' && value.startsWith("ST=")) {
      tcpState = value.substring(3);
    }
  }

  private boolean wasSeen(char id) {
    int bit = bit(id);
    return bit >= 0 && (seen & (1L << bit)) != 0;
  }

  private void markSeen(char id) {
    int bit = bit(id);
    if (bit >= 0) {
      seen |= 1L << bit;
    }
  }

  private static int bit(char id) {
    if (id >= 'a' && id <= 'z') {
      return id - 'a';
    }
    return id >= 'A' && id <= 'Z' ? 26 + id - 'A' : -1;
  }

  private void startFile(int lineNo) {
    inFile = true;
    seen = 0;
    fileLine = lineNo;
    fileText.setLength(0);
    fileText.append('p').append(pid);
    type = null;
    proto = null;
    name = null;
    tcpState = null;
  }

  private void endFile() {
    if (!inFile) {
      return;
    }
    inFile = false;
    boolean inet = "IPv4".equals(type) || "IPv6".equals(type) || "TCP".equals(proto) || "UDP".equals(proto);
    if (!inet || (proto != null && !proto.equals("TCP") && !proto.equals("UDP"))) {
      return;
    }
    table.accept(proto == null || name == null || pid <= 0 ? Row.BAD : row(), fileLine, fileText.toString());
  }

  private Row row() {
    Protocol protocol = proto.equals("TCP") ? Protocol.TCP : Protocol.UDP;
    int arrow = name.indexOf("->");
    LsofName local = LsofName.parse(arrow < 0 ? name : name.substring(0, arrow), type);
    LsofName peer = arrow < 0 ? null : LsofName.parse(name.substring(arrow + 2), type);
    if (local == null || (arrow >= 0 && peer == null)) {
      return Row.BAD;
    }
    if (local.port < 0) {
      return Row.IGNORED;
    }
    Optional<Endpoint> remote = peer == null || peer.port < 0
        ? Optional.empty() : Optional.of(new Endpoint(peer.address, peer.port));
    SocketState state;
    if (protocol == Protocol.UDP) {
      state = remote.isEmpty() ? SocketState.UNCONN : SocketState.ESTABLISHED;
    } else {
      SocketState s = tcpState == null ? null : StateNames.parse(tcpState);
      state = s == null || s == SocketState.UNCONN ? SocketState.UNKNOWN : s;
    }
    Owner owner = new Owner(pid, command == null || command.isEmpty() ? Optional.empty() : Optional.of(command));
    return Row.of(new SocketEntry(protocol, new Endpoint(local.address, local.port), remote, state,
        uid < 0 || uid > Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of((int) uid),
        OptionalLong.empty(), OwnerStatus.KNOWN, List.of(owner)));
  }
}
