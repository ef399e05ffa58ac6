package dev.portdoctor.os.windows;

import dev.portdoctor.core.Owner;
import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.core.SocketEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code netstat -ano}/{@code -anob} table with what {@code -b} printed under each row.
 *
 * @param owners one element per entry of {@code table.entries()}, in the same order
 *     ({@link WindowsOwnerInfo#NONE} where nothing was printed)
 */
public record WindowsNetstat(ParsedTable table, List<WindowsOwnerInfo> owners) {

  public WindowsNetstat {
    owners = List.copyOf(owners);
    if (owners.size() != table.entries().size()) {
      throw new IllegalArgumentException("one owner info per entry expected");
    }
  }

  /** The owner info of every PID, merged over its rows (an svchost PID hosts several services). */
  public Map<Long, WindowsOwnerInfo> byPid() {
    Map<Long, WindowsOwnerInfo> out = new LinkedHashMap<>();
    List<SocketEntry> entries = table.entries();
    for (int i = 0; i < entries.size(); i++) {
      WindowsOwnerInfo info = owners.get(i);
      for (Owner o : entries.get(i).owners()) {
        out.merge(o.pid(), info, WindowsOwnerInfo::merge);
      }
    }
    return out;
  }
}
