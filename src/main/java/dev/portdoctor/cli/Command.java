package dev.portdoctor.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * A subcommand. Its options are declared with picocli's programmatic API rather than annotations:
 * that keeps reflection and annotation proxies off the start-up path (measured in PERFORMANCE.md).
 */
interface Command {
  /** The command's name, options, parameters and help. */
  CommandSpec spec();

  /** Runs the command on what was parsed and returns the exit code; it prints through the context. */
  int run(ParseResult parsed, Context ctx);
}
