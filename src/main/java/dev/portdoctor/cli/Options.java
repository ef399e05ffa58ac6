package dev.portdoctor.cli;

import dev.portdoctor.core.PortDoctorException;
import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/** Builders and readers for the options that several commands share. */
final class Options {
  private Options() {}

  static final String JSON = "--json";
  static final String QUIET = "--quiet";
  static final String VERBOSE = "--verbose";
  static final String STACKTRACE = "--stacktrace";
  static final String TCP = "--tcp";
  static final String UDP = "--udp";
  static final String ALL = "--all";
  static final String SOURCE = "--source";
  static final String ON = "--on";
  static final String HOSTS = "--hosts";
  static final String SSH_CONFIG = "--ssh-config";
  static final String SSH_TIMEOUT = "--ssh-timeout";

  static CommandSpec command(String name, String summary, String... description) {
    CommandSpec spec = CommandSpec.create().name(name);
    help(spec);
    spec.usageMessage().description(concat(summary, description));
    spec.usageMessage().sortOptions(false);
    spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.helpList());
    return spec;
  }

  /**
   * -h/--help, declared directly: picocli's mixinStandardHelpOptions reads an annotated mixin class
   * through reflection and annotation proxies, which costs start-up on every run.
   */
  static void help(CommandSpec spec) {
    spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
        .description("Show this help message and exit.").build());
  }

  static void version(CommandSpec spec) {
    spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
        .description("Print version information and exit.").build());
  }

  private static String[] concat(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  static void flag(CommandSpec spec, String description, String... names) {
    spec.addOption(OptionSpec.builder(names).arity("0").type(boolean.class).description(description).build());
  }

  static void value(CommandSpec spec, String label, Class<?> type, String description, String... names) {
    spec.addOption(OptionSpec.builder(names).paramLabel(label).type(type).description(description).build());
  }

  static void ports(CommandSpec spec, String description) {
    spec.addPositional(PositionalParamSpec.builder().paramLabel("PORT").arity("1..*").required(true).type(String[].class)
        .description(description).build());
  }

  static void protocols(CommandSpec spec) {
    flag(spec, "TCP sockets (the default).", TCP);
    flag(spec, "UDP sockets; with --tcp, both.", UDP);
  }

  /** Adds --source: where the socket table comes from. */
  static void source(CommandSpec spec) {
    value(spec, "NAME", String.class, "Where the socket table comes from: auto (default), proc, native, ss, netstat"
        + " (Linux); native, netstat, powershell (Windows); native, lsof, netstat (macOS).", SOURCE);
  }

  /**
   * Adds --on, --hosts, --ssh-config and --ssh-timeout: ask other hosts through the system ssh client.
   * Declared here, read only when given: the local path loads no class of the remote one.
   */
  static void remote(CommandSpec spec) {
    value(spec, "[USER@]HOST[:PORT],...", String[].class, "Ask these hosts instead of this machine, through the system"
        + " ssh client (your ~/.ssh/config, agent and known_hosts; BatchMode): a comma-separated list, repeatable."
        + " The hosts need no Java and no portdoctor.", ON);
    value(spec, "FILE", String.class, "Ask the hosts listed in FILE: one [user@]host[:port] a line (# comments), or an"
        + " Ansible inventory (INI or YAML: ansible_host, ansible_port, ansible_user).", HOSTS);
    value(spec, "FILE", String.class, "The ssh client configuration file to use (ssh -F FILE).", SSH_CONFIG);
    value(spec, "DURATION", String.class, "How long each host may take to answer (default 15s; ssh's ConnectTimeout is"
        + " at most 10s of it).", SSH_TIMEOUT);
  }

  /** True when --on or --hosts was given. */
  static boolean remote(ParseResult pr) {
    return pr.hasMatchedOption(ON) || pr.hasMatchedOption(HOSTS);
  }

  /** Adds --json, --quiet, --verbose and --stacktrace, last in the option list. */
  static void common(CommandSpec spec) {
    flag(spec, "Print JSON (documented in docs/json.md), for scripts.", JSON);
    flag(spec, "Print nothing; only the exit status answers.", "-q", QUIET);
    flag(spec, "Debug logging on stderr, and stack traces for errors.", "-v", VERBOSE);
    flag(spec, "Print a stack trace for errors.", STACKTRACE);
  }

  static boolean has(ParseResult pr, String name) {
    return pr.hasMatchedOption(name) && Boolean.TRUE.equals(pr.matchedOptionValue(name, Boolean.FALSE));
  }

  static Set<Protocol> protocols(ParseResult pr) {
    boolean tcp = has(pr, TCP);
    boolean udp = has(pr, UDP);
    if (tcp && udp) {
      return EnumSet.allOf(Protocol.class);
    }
    return udp ? EnumSet.of(Protocol.UDP) : EnumSet.of(Protocol.TCP);
  }

  static String protocolLabel(Set<Protocol> protocols) {
    return protocols.size() == 2 ? "tcp, udp" : protocols.iterator().next().label();
  }

  static PortSet ports(ParseResult pr) {
    String[] raw = pr.matchedPositionalValue(0, new String[0]);
    if (raw.length == 0) {
      throw PortDoctorException.usage("no port given");
    }
    return PortSet.parse(List.of(raw));
  }
}
