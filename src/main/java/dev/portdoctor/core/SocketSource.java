package dev.portdoctor.core;

import java.util.List;

/** A table of the machine's sockets: Linux {@code /proc}, a native API, or a parsed command's output. */
public interface SocketSource {

  /** Short name for messages and {@code --source}: {@code proc}, {@code netstat}, ... */
  String name();

  /**
   * Reads the sockets that pass the query. Processes that vanish during the read are skipped.
   *
   * @throws PortDoctorException when the table cannot be read at all
   */
  List<SocketEntry> snapshot(SocketQuery query);
}
