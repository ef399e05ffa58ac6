/**
 * The library API: {@link dev.portdoctor.api.Ports} (trial bind, free ports, holders, wait). It depends on
 * {@code dev.portdoctor.core} and {@code dev.portdoctor.os} only, never on the CLI or picocli; the
 * {@code dev.portdoctor:portdoctor-core} artifact (lib/pom.xml) holds just these packages.
 */
package dev.portdoctor.api;
