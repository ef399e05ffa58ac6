package dev.portdoctor.cli;

import dev.portdoctor.core.PortDoctorException;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/** {@code portdoctor completion bash|zsh}: the shell completion script, made by picocli. */
final class CompletionCommand implements Command {
  private static final List<String> SHELLS = List.of("bash", "zsh");

  @Override
  public CommandSpec spec() {
    CommandSpec spec = Options.command("completion",
        "Print the shell completion script for bash or zsh.",
        "",
        "bash: source it, or save it where bash-completion finds it. zsh: the same script, which loads",
        "zsh's bashcompinit itself.");
    spec.addPositional(PositionalParamSpec.builder().paramLabel("SHELL").arity("1").type(String.class)
        .completionCandidates(SHELLS).description("bash or zsh.").build());
    spec.usageMessage().footerHeading("%nExamples:%n").footer(
        "  source <(portdoctor completion bash)                      # this shell",
        "  portdoctor completion bash > ~/.local/share/bash-completion/completions/portdoctor",
        "  echo 'source <(portdoctor completion zsh)' >> ~/.zshrc");
    return spec;
  }

  @Override
  public int run(ParseResult pr, Context ctx) {
    String shell = pr.matchedPositionalValue(0, "");
    if (!SHELLS.contains(shell)) {
      throw PortDoctorException.usage("invalid shell '" + shell + "': expected bash or zsh");
    }
    CommandLine root = pr.commandSpec().root().commandLine();
    ctx.out().print(script(shell, root));
    ctx.out().flush();
    return ExitCode.OK.code();
  }

  /** The script, with a header that says how to install it. */
  static String script(String shell, CommandLine root) {
    String header = shell.equals("zsh")
        ? "# portdoctor completion for zsh. This is the bash completion script: in zsh it loads bashcompinit\n"
            + "# (below) and registers itself through it. Install: echo 'source <(portdoctor completion zsh)' >> ~/.zshrc\n"
        : "# portdoctor completion for bash (also works in zsh through bashcompinit: portdoctor completion zsh).\n"
            + "# Install: portdoctor completion bash > ~/.local/share/bash-completion/completions/portdoctor\n";
    String script = AutoComplete.bash("portdoctor", root);
    if (script.startsWith("#!")) { // keep the shebang first
      int nl = script.indexOf('\n') + 1;
      return script.substring(0, nl) + header + script.substring(nl);
    }
    return header + script;
  }
}
