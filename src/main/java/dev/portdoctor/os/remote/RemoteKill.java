package dev.portdoctor.os.remote;

import dev.portdoctor.core.KillOptions;
import dev.portdoctor.core.KillOutcome;
import dev.portdoctor.core.KillOutcome.Result;
import dev.portdoctor.core.KillReport;
import dev.portdoctor.core.KillTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Carries out a kill plan on a Unix host in one script, the way {@code Killer} does here: the polite
 * signal to the master of each tree first and up to half the timeout for it to exit; then the rest of
 * each tree, deepest first (nothing of a tree whose master was refused); at the timeout the forced stop
 * to the survivors, masters first. Right before each signal, in the same script, the process's start time
 * ({@code ps -o lstart}) must still be the one recorded in the plan and, on Linux, a holder must still have
 * the socket's inode among its descriptors; otherwise it is skipped. The script is built only from the
 * plan's PIDs, start times (formatted here) and inodes, and the checked signal name.
 */
public final class RemoteKill {
  private static final Set<String> SIGNALS = Set.of("TERM", "INT", "HUP", "QUIT", "USR1", "USR2", "KILL");

  private RemoteKill() {}

  /** The script for one port's plan. */
  public static String script(String nonce, KillReport plan, KillOptions options) {
    String sig = options.signal().toUpperCase(Locale.ROOT);
    if (!SIGNALS.contains(sig)) {
      throw new IllegalArgumentException("signal " + sig);
    }
    long halfTicks = Math.max(1, options.timeout().toMillis() / 2 / 100);
    long fullTicks = Math.max(1, options.timeout().toMillis() / 100);
    StringBuilder s = new StringBuilder(2048);
    s.append("LC_ALL=C; export LC_ALL; TZ=UTC; export TZ\n");
    s.append("m=@@pd-").append(nonce).append("\n");
    s.append("echo \"$m os $(uname -s 2>/dev/null)\"\n");
    // alive: a process that exists and is not a zombie
    // (/proc where there is one: BusyBox's ps, on Alpine, has no -p)
    s.append("al() { if [ -r /proc/self/status ]; then [ -r \"/proc/$1/status\" ] || return 1;"
        + " x=$(sed -n 's/^State:[[:space:]]*//p' \"/proc/$1/status\" 2>/dev/null);"
        + " else x=$(ps -p \"$1\" -o stat= 2>/dev/null) || return 1; fi;"
        + " case \"$x\" in ''|Z*) return 1;; esac; return 0; }\n");
    s.append("st() { ps -p \"$1\" -o lstart= 2>/dev/null | tr -s ' ' | sed 's/^ //;s/ $//'; }\n");
    // the guard and the signal: gone, reused, handed on, or sent
    s.append("sg() {\n");
    s.append("  al \"$1\" || { echo \"$m out $1 gone\"; return 1; }\n");
    s.append("  if [ -n \"$2\" ] && [ \"$(st \"$1\")\" != \"$2\" ]; then echo \"$m out $1 reused\"; return 1; fi\n");
    s.append("  if [ -n \"$3\" ] && [ -d \"/proc/$1/fd\" ]; then\n");
    s.append("    ls -l \"/proc/$1/fd\" 2>/dev/null | grep -q \"socket:\\[$3\\]\" || { echo \"$m out $1 handed\"; return 1; }\n");
    s.append("  fi\n");
    s.append("  if e=$(kill -s \"$4\" \"$1\" 2>&1); then echo \"$m out $1 sent $4\"; return 0; fi\n");
    s.append("  al \"$1\" || { echo \"$m out $1 gone\"; return 1; }\n");
    s.append("  echo \"$m out $1 denied $e\"; return 1\n");
    s.append("}\n");
    // wait up to $1 tenths of a second for every PID after it to exit
    s.append("wt() { n=$1; shift; i=0; while [ $i -lt $n ]; do a=; for p in \"$@\"; do al $p && a=1; done;"
        + " [ -z \"$a\" ] && break; sleep 0.1; i=$((i+1)); done; u=$((u+i)); [ -z \"$a\" ]; }\n");
    s.append("S=; u=0\n");
    List<KillTarget> masters = new ArrayList<>();
    List<KillTarget> members = new ArrayList<>();
    for (KillTarget t : plan.plan()) {
      if (t.refusal().isPresent()) {
        continue;
      }
      (t.master().isEmpty() ? masters : members).add(t);
    }
    for (KillTarget t : masters) {
      s.append("if ").append(call(t, sig)).append("; then S=\"$S ").append(t.pid()).append("\"; s")
          .append(t.pid()).append("=1; fi\n");
    }
    if (!masters.isEmpty()) {
      s.append("[ -n \"$S\" ] && wt ").append(halfTicks).append(" $S\n");
    }
    for (KillTarget t : members) {
      long master = t.master().get();
      s.append("if [ -z \"$s").append(master).append("\" ]; then echo \"$m out ").append(t.pid()).append(" skipped-master ")
          .append(master).append("\"\n");
      s.append("elif ! al ").append(t.pid()).append("; then echo \"$m out ").append(t.pid()).append(" by-master ")
          .append(master).append("\"\n");
      s.append("elif ").append(call(t, sig)).append("; then S=\"$S ").append(t.pid()).append("\"; s").append(t.pid())
          .append("=1; fi\n");
    }
    // the rest of the timeout (u: the tenths of a second already waited)
    s.append("[ -n \"$S\" ] && [ $u -lt ").append(fullTicks).append(" ] && wt $((").append(fullTicks).append(" - u)) $S\n");
    // the deadline: the forced stop to the survivors, masters first (the order of S), identity checked again
    s.append("for p in $S; do if al $p; then eval \"e=\\$t$p\"; if [ -z \"$e\" ] || [ \"$(st $p)\" = \"$e\" ]; then")
        .append(" kill -s KILL $p 2>/dev/null && eval \"f$p=1\"; fi; fi; done\n");
    s.append("[ -n \"$S\" ] && wt 30 $S\n");
    s.append("for p in $S; do if al $p; then echo \"$m out $p end survived\"; else eval \"x=\\$f$p\";")
        .append(" if [ -n \"$x\" ]; then echo \"$m out $p end forced\"; else echo \"$m out $p end polite\"; fi; fi; done\n");
    if (!options.grace().isZero()) {
      // a supervisor restarts within moments: the verification read comes after this pause
      s.append("sleep ").append(seconds(options.grace().toMillis())).append("\n");
    }
    s.append("echo \"$m end\"\n");
    // start times, for the forced stop's second check (t<PID>=...), set before anything runs
    StringBuilder starts = new StringBuilder();
    for (KillTarget t : plan.plan()) {
      if (t.refusal().isEmpty()) {
        starts.append("t").append(t.pid()).append("='").append(start(t)).append("'\n");
      }
    }
    return starts + s.toString();
  }

  /**
   * The same plan for a Windows host, in PowerShell: {@code taskkill /PID n} as the polite stop (a
   * console program refuses it: then it waits for the forced stop), {@code taskkill /F /PID n} at the
   * deadline; right before each, the CreationDate of Win32_Process (UTC, ISO 8601) must still be the one
   * recorded. The lines it prints are those of the Unix script.
   */
  public static String windowsScript(String nonce, KillReport plan, KillOptions options) {
    long halfTicks = Math.max(1, options.timeout().toMillis() / 2 / 100);
    long fullTicks = Math.max(1, options.timeout().toMillis() / 100);
    StringBuilder s = new StringBuilder(2048);
    s.append("$ErrorActionPreference='Continue'; $ProgressPreference='SilentlyContinue'\n");
    s.append("$m='@@pd-").append(nonce).append("'\n");
    s.append("function O($x) { [Console]::Out.WriteLine($x) }\n");
    s.append("O \"$m os Windows\"\n");
    s.append("function St($p) { try { $c=Get-CimInstance Win32_Process -Filter \"ProcessId=$p\";"
        + " if ($c -and $c.CreationDate) { $c.CreationDate.ToUniversalTime().ToString('o') } else { '' } } catch { '' } }\n");
    s.append("function Al($p) { $null -ne (Get-Process -Id $p -ErrorAction SilentlyContinue) }\n");
    // 0: sent; 1: not signalled (gone, reused); 2: the polite stop was refused, the forced one comes at the deadline
    s.append("function Sg($p, $t) {\n");
    s.append("  if (-not (Al $p)) { O \"$m out $p gone\"; return 1 }\n");
    s.append("  if ($t -and ((St $p) -ne $t)) { O \"$m out $p reused\"; return 1 }\n");
    s.append("  $o = (& taskkill.exe /PID $p 2>&1) -join ' '\n");
    s.append("  if ($LASTEXITCODE -eq 0) { O \"$m out $p sent TERM\"; return 0 }\n");
    s.append("  if (-not (Al $p)) { O \"$m out $p gone\"; return 1 }\n");
    s.append("  O \"$m out $p polite-refused $o\"; return 2\n");
    s.append("}\n");
    s.append("function Wt($n, $ps) { $i=0; while ($i -lt $n) { if (-not ($ps | Where-Object { Al $_ })) { break };"
        + " Start-Sleep -Milliseconds 100; $i++ }; $script:u += $i }\n");
    s.append("$S=@(); $F=@(); $u=0; $T=@{}\n");
    for (KillTarget t : plan.plan()) {
      if (t.refusal().isEmpty()) {
        s.append("$T[").append(t.pid()).append("]='").append(t.startTime().map(java.time.Instant::toString).orElse(""))
            .append("'\n");
      }
    }
    List<KillTarget> masters = new ArrayList<>();
    List<KillTarget> members = new ArrayList<>();
    for (KillTarget t : plan.plan()) {
      if (t.refusal().isEmpty()) {
        (t.master().isEmpty() ? masters : members).add(t);
      }
    }
    for (KillTarget t : masters) {
      s.append("$r=Sg ").append(t.pid()).append(" $T[").append(t.pid()).append("]; if ($r -eq 0) { $S+=")
          .append(t.pid()).append(" } elseif ($r -eq 2) { $F+=").append(t.pid()).append(" }\n");
    }
    if (!masters.isEmpty()) {
      s.append("if ($S.Count) { Wt ").append(halfTicks).append(" $S }\n");
    }
    for (KillTarget t : members) {
      long master = t.master().get();
      s.append("if (-not (($S + $F) -contains ").append(master).append(")) { O \"$m out ").append(t.pid())
          .append(" skipped-master ").append(master).append("\" }\n");
      s.append("elseif (-not (Al ").append(t.pid()).append(")) { O \"$m out ").append(t.pid()).append(" by-master ")
          .append(master).append("\" }\n");
      s.append("else { $r=Sg ").append(t.pid()).append(" $T[").append(t.pid()).append("]; if ($r -eq 0) { $S+=")
          .append(t.pid()).append(" } elseif ($r -eq 2) { $F+=").append(t.pid()).append(" } }\n");
    }
    s.append("if ($S.Count -and $u -lt ").append(fullTicks).append(") { Wt (").append(fullTicks).append(" - $u) $S }\n");
    s.append("$X=@{}\n");
    s.append("foreach ($p in ($S + $F)) { if ((Al $p) -and ((-not $T[$p]) -or ((St $p) -eq $T[$p]))) {"
        + " $o = (& taskkill.exe /F /PID $p 2>&1) -join ' '; if ($LASTEXITCODE -eq 0) { $X[$p]=1 }"
        + " elseif (Al $p) { O \"$m out $p denied $o\" } } }\n");
    s.append("Wt 30 ($S + $F)\n");
    s.append("foreach ($p in ($S + $F)) { if (Al $p) { O \"$m out $p end survived\" } elseif ($X[$p]) {"
        + " O \"$m out $p end forced\" } else { O \"$m out $p end polite\" } }\n");
    if (!options.grace().isZero()) {
      s.append("Start-Sleep -Milliseconds ").append(options.grace().toMillis()).append("\n");
    }
    s.append("O \"$m end\"\n");
    return s.toString();
  }

  private static String call(KillTarget t, String sig) {
    String inode = t.role().equals("holder") && t.inode().isPresent() ? Long.toString(t.inode().get()) : "";
    return "sg " + t.pid() + " \"" + start(t) + "\" \"" + inode + "\" " + sig;
  }

  /** The recorded start time as ps prints lstart under TZ=UTC (blanks collapsed), or "" when unknown. */
  private static String start(KillTarget t) {
    return t.startTime().map(PsParser::lstart).orElse("");
  }

  private static String seconds(long ms) {
    return ms % 1000 == 0 ? Long.toString(ms / 1000) : (ms / 1000) + "." + String.format(Locale.ROOT, "%03d", ms % 1000);
  }

  /** The outcome of each planned process, in the plan's order, from the script's {@code out} lines. */
  public static List<KillOutcome> outcomes(String nonce, String stdout, KillReport plan, KillOptions options) {
    String marker = "@@pd-" + nonce + " out ";
    Map<Long, List<String>> events = new HashMap<>();
    for (String raw : stdout.split("\n", -1)) {
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      if (!line.startsWith(marker)) {
        continue;
      }
      String[] f = line.substring(marker.length()).split(" ", 3);
      if (f.length < 2 || f[0].isEmpty() || f[0].length() > 18 || !f[0].chars().allMatch(Character::isDigit)) {
        continue;
      }
      events.computeIfAbsent(Long.parseLong(f[0]), k -> new ArrayList<>()).add(f.length > 2 ? f[1] + " " + f[2] : f[1]);
    }
    String sig = "SIG" + options.signal().toUpperCase(Locale.ROOT);
    Map<Long, String> names = new HashMap<>();
    for (KillTarget t : plan.plan()) {
      names.put(t.pid(), t.process().name());
    }
    Map<Long, KillOutcome> out = new LinkedHashMap<>();
    Set<Long> seen = new HashSet<>();
    for (KillTarget t : plan.plan()) {
      if (!seen.add(t.pid())) {
        continue;
      }
      if (t.refusal().isPresent()) {
        out.put(t.pid(), outcome(t, Result.REFUSED, t.refusal().get()));
        continue;
      }
      List<String> ev = events.getOrDefault(t.pid(), List.of());
      KillOutcome o = null;
      for (String e : ev) {
        if (e.equals("gone")) {
          o = outcome(t, Result.GONE, "exited on its own before the signal");
        } else if (e.equals("reused")) {
          o = outcome(t, Result.SKIPPED, "PID " + t.pid() + " now belongs to another process (its start time changed);"
              + " not signalled");
        } else if (e.equals("handed")) {
          o = outcome(t, Result.SKIPPED, "no longer holds the port (it closed the socket or handed it on); not signalled");
        } else if (e.startsWith("polite-refused")) {
          o = outcome(t, Result.SURVIVED, "the polite stop was refused (" + e.substring(14).strip() + ")");
        } else if (e.startsWith("denied")) {
          String why = e.length() > 7 ? e.substring(7).strip() : "";
          o = outcome(t, Result.DENIED, "permission denied" + (why.isEmpty() ? "" : ": " + why));
        } else if (e.startsWith("skipped-master ")) {
          long m = number(e.substring(15));
          o = outcome(t, Result.SKIPPED, "not signalled: its master, pid " + m + " (" + names.getOrDefault(m, "?")
              + "), could not be stopped");
        } else if (e.startsWith("by-master ")) {
          o = outcome(t, Result.STOPPED, "ended by its master, pid " + number(e.substring(10)) + ", after its " + sig);
        } else if (e.equals("end polite")) {
          o = outcome(t, Result.STOPPED, "ended after " + sig);
        } else if (e.equals("end forced")) {
          o = outcome(t, Result.FORCED, "ended by SIGKILL at the deadline (" + options.timeout().toMillis() / 1000.0 + " s)");
        } else if (e.equals("end survived")) {
          o = outcome(t, Result.SURVIVED, "still running after SIGKILL");
        }
      }
      out.put(t.pid(), o != null ? o : outcome(t, Result.SKIPPED, "no answer about it came back from the host"));
    }
    return new ArrayList<>(out.values());
  }

  private static KillOutcome outcome(KillTarget t, Result r, String detail) {
    return new KillOutcome(t.pid(), t.process().name(), t.role(), r, detail);
  }

  private static long number(String s) {
    String t = s.strip();
    return !t.isEmpty() && t.length() <= 18 && t.chars().allMatch(Character::isDigit) ? Long.parseLong(t) : -1;
  }
}
