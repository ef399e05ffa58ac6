package dev.portdoctor.cli;

import dev.portdoctor.core.KillOptions;
import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import picocli.CommandLine.ParseResult;

/** {@code kill --on}. */
final class RemoteKillTask {
  private RemoteKillTask() {}

  static int run(ParseResult pr, Context ctx, PortSet ports, Protocol protocol, KillOptions options, boolean dryRun) {
    throw PortDoctorException.usage("kill --on is not ready yet");
  }
}
