package dev.portdoctor.core;

/** Everything portdoctor needs from the operating system, bundled for one OS (or a test). */
public record Platform(
    String osName,
    SocketSource sockets,
    ProcessSource processes,
    PortProbe probe,
    SystemFacts facts,
    ProcessControl control) {}
