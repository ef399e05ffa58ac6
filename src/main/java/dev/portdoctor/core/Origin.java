package dev.portdoctor.core;

/**
 * What is really behind a holder when its PID is not the answer: the container a docker-proxy forwards
 * to, the systemd unit that restarts a service, the socket unit of socket activation.
 *
 * @param kind a stable name: {@code docker-container}, {@code systemd-service}, {@code systemd-socket}, ...
 * @param name the container's or unit's name, as the remedy uses it
 * @param detail more for people (the image, the container id, the unit's description), may be empty
 * @param remedy the command that frees the port the right way ({@code docker stop web})
 */
public record Origin(String kind, String name, String detail, String remedy) {}
