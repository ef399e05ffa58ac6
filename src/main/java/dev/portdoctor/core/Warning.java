package dev.portdoctor.core;

/**
 * A remark about a port that does not change the verdict.
 *
 * @param code a stable name: {@code ephemeral-range}, {@code reserved-port}
 */
public record Warning(String code, String message) {}
