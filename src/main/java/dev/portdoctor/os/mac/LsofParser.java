package dev.portdoctor.os.mac;

import dev.portdoctor.core.ParsedTable;
import dev.portdoctor.os.text.TableBuilder;

/**
 * Parses the field output of {@code lsof} for Internet sockets. The command it expects is
 *
 * <pre>LC_ALL=C lsof -nP -iTCP -iUDP -F pcfnPtTu0</pre>
 *
 * <p>({@code -n}: addresses as numbers; {@code -P}: ports as numbers; {@code -F}: one field per
 * item, each starting with a letter; {@code 0}: fields end with NUL and each process or file set ends
 * with a newline). Output without {@code 0} (every field on its own line) and without {@code f} is read
 * as well, as is the same output of Linux {@code lsof}, which is the same program.
 *
 * <p>Fields: {@code p} PID and {@code c} command (with {@code u} uid) start a process set; each socket
 * after it is a file set of {@code f} descriptor, {@code t} type ({@code IPv4}, {@code IPv6}),
 * {@code P} protocol ({@code TCP}, {@code UDP}), {@code n} name and {@code T} TCP details
 * ({@code TST=LISTEN}, {@code TQR=0}...). A file set starts at {@code f}, or, when {@code f} was not
 * asked for, at the first field letter that repeats. Names are {@code *:8080},
 * {@code 127.0.0.1:5432->127.0.0.1:60312}, {@code [::1]:8080}, {@code [fe80::1%lo0]:5353}.
 *
 * <p>Decisions, each pinned by a test:
 * <ul>
 *   <li>One entry per process and descriptor: a socket held by two processes is two entries, each with
 *       its owner, as lsof lists it.
 *   <li>{@code *} as a local address is {@code 0.0.0.0} on an {@code IPv4} file and {@code ::} on an
 *       {@code IPv6} one; an IPv4 address on an {@code IPv6} file is IPv4-mapped ({@code ::ffff:...}).
 *   <li>Without {@code -P}, ports are service names ({@code *:http}): common ones are read through
 *       {@code ServiceNames}; a row with a name not in that table is skipped and counted, not guessed.
 *   <li>Without {@code -n}, addresses are host names ({@code localhost}, {@code mymac.local}): they are
 *       kept as the names they are, never turned into addresses ({@code localhost} on an {@code IPv6}
 *       file may be ::1 or a v4-mapped 127.0.0.1; the text does not say which).
 *   <li>A UDP socket has no state in lsof: it is {@code UNCONN} without a peer, ESTABLISHED with one.
 *       A TCP socket without {@code TST=} is UNKNOWN.
 *   <li>A local port of {@code *} (a socket not bound yet) holds no port and is left out uncounted, as
 *       are files that are not TCP or UDP sockets (lsof run without {@code -i}).
 * </ul>
 */
public final class LsofParser {
  private LsofParser() {}

  public static ParsedTable parse(String text) {
    TableBuilder table = new TableBuilder(LsofParser.class);
    new LsofReader(table).read(text);
    return table.build();
  }
}
