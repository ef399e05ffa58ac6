package dev.portdoctor.core;

import java.util.Optional;

/**
 * One trial bind: the address tried, whether SO_REUSEADDR was set, and the outcome with the OS's
 * message when it failed.
 */
public record ProbeResult(
    Protocol protocol, String address, int port, boolean reuseAddress, BindOutcome outcome,
    Optional<String> message) {}
