package dev.portdoctor.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * A build step, not a test (Maven runs it in prepare-package; picocli-codegen stays off the runtime
 * classpath): writes the AsciiDoc man pages of the whole command tree, one per command, with picocli's
 * ManPageGenerator, and the bash completion script.
 *
 * <p>Arguments: the AsciiDoc output directory, the completion script's path.
 */
public final class DocsGenerator {
  private DocsGenerator() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: DocsGenerator ADOC_DIR COMPLETION_FILE");
    }
    Path adoc = Path.of(args[0]);
    Path completion = Path.of(args[1]);
    Files.createDirectories(adoc);
    CommandLine root = PortDoctorCli.commandLine();
    int code = ManPageGenerator.generateManPage(adoc.toFile(), (File) null, new boolean[0], true, root.getCommandSpec());
    if (code != 0) {
      throw new IllegalStateException("ManPageGenerator failed with exit code " + code);
    }
    Files.createDirectories(completion.toAbsolutePath().getParent());
    Files.writeString(completion, CompletionCommand.script("bash", root), StandardCharsets.UTF_8);
  }
}
