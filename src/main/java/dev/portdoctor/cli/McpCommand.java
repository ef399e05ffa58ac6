package dev.portdoctor.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code portdoctor mcp}: a Model Context Protocol server on stdin/stdout for coding agents. Its classes
 * load only for this command.
 */
final class McpCommand implements Command {
  private static final String READ_ONLY = "--read-only";

  @Override
  public CommandSpec spec() {
    CommandSpec spec = Options.command("mcp",
        "Serve the Model Context Protocol on stdin/stdout, for coding agents: tools check, who, list, free, wait, kill.",
        "",
        "JSON-RPC 2.0, one message a line (MCP stdio transport, protocol 2025-06-18). Each tool runs the",
        "command of the same name with --json and returns that JSON as its result: same checks, same",
        "answers. kill ends nothing unless its arguments say \"confirm\": true, and keeps every refusal of",
        "'portdoctor kill' (PID 0 and 1, portdoctor and its ancestors, which include the agent that started",
        "this server; critical processes unless force). --read-only leaves kill out. It runs until stdin",
        "closes; only protocol messages go to stdout, logs (--verbose) to stderr.");
    Options.flag(spec, "Leave out the kill tool: the server can only look, never end a process.", READ_ONLY);
    Options.flag(spec, "Debug logging on stderr, and stack traces for errors.", "-v", Options.VERBOSE);
    spec.usageMessage().footerHeading("%nExamples:%n").footer(
        "  claude mcp add portdoctor -- /path/to/portdoctor/scripts/portdoctor mcp",
        "  portdoctor mcp --read-only");
    return spec;
  }

  @Override
  public int run(ParseResult pr, Context ctx) {
    McpServer server = new McpServer(Options.has(pr, READ_ONLY), source -> ctx.newPlatform(), ctx.environment(),
        PortDoctorCli.version());
    String line;
    while ((line = ctx.readLine()) != null) {
      String response = server.handle(line);
      if (response != null) {
        ctx.out().print(response + "\n");
        ctx.out().flush();
      }
    }
    return ExitCode.OK.code();
  }
}
