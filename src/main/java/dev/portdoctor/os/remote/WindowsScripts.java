package dev.portdoctor.os.remote;

import dev.portdoctor.core.PortSet;
import dev.portdoctor.core.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The PowerShell scripts run on Windows hosts, passed with {@code -EncodedCommand} (base64 of UTF-16LE,
 * so that neither cmd.exe nor PowerShell parses any of it as command-line text). As on Unix, every byte
 * is ours, and every section starts with the call's marker line.
 */
public final class WindowsScripts {
  /** What is left of cmd.exe's 8191 characters after {@code powershell -NoProfile -NonInteractive -EncodedCommand }. */
  static final int MAX_ENCODED = 8191 - 64;

  private WindowsScripts() {}

  /** {@code powershell -NoProfile -NonInteractive -EncodedCommand BASE64}. */
  public static List<String> command(String script) {
    String b64 = Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
    if (b64.length() > MAX_ENCODED) {
      // Windows' OpenSSH runs the command through cmd.exe, whose command line ends at 8191 characters
      throw new dev.portdoctor.core.PortDoctorException(dev.portdoctor.core.PortDoctorException.UNREACHABLE,
          "the PowerShell script for this request is " + b64.length() + " characters encoded, more than a Windows"
              + " command line holds (8191): ask fewer ports at a time");
    }
    return List.of("powershell", "-NoProfile", "-NonInteractive", "-EncodedCommand", b64);
  }

  /** Get-NetTCPConnection / Get-NetUDPEndpoint as CSV (netstat -ano where they are missing), Win32_Process. */
  public static String read(String nonce, ReadRequest r) {
    StringBuilder s = new StringBuilder(2048);
    s.append("$ErrorActionPreference='Stop'; $ProgressPreference='SilentlyContinue'\n");
    s.append("try { [Console]::OutputEncoding=[Text.Encoding]::UTF8 } catch {}\n");
    s.append("$m='@@pd-").append(nonce).append("'\n");
    s.append("\"$m os Windows\"\n");
    s.append("\"$m self $PID\"\n");
    s.append("try { $a=([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent())"
        + ".IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator); \"$m sysctl admin $a\" } catch {}\n");
    s.append("try { $d=Get-NetTCPSetting -SettingName Internet; \"$m sysctl dynamic.start $($d.DynamicPortRangeStartPort)\";"
        + " \"$m sysctl dynamic.last $($d.DynamicPortRangeStartPort + $d.DynamicPortRangeNumberOfPorts - 1)\" } catch {}\n");
    s.append("\"$m ipv6 yes\"\n");
    s.append("$t=$null\n");
    s.append("try {\n");
    s.append("  $c=Get-NetTCPConnection | Select-Object LocalAddress,LocalPort,RemoteAddress,RemotePort,State,OwningProcess"
        + " | ConvertTo-Csv -NoTypeInformation\n");
    s.append("  $u=@(Get-NetUDPEndpoint | Select-Object LocalAddress,LocalPort,OwningProcess | ConvertTo-Csv -NoTypeInformation)\n");
    s.append("  \"$m table powershell-tcp\"; $c; \"$m rc 0\"; \"$m table powershell-udp\"; $u; \"$m rc 0\"; $t=1\n");
    s.append("} catch { \"$m table powershell-tcp\"; \"$m rc 1\" }\n");
    s.append("if (-not $t) { $n=netstat -ano; \"$m table windows-netstat\"; $n; \"$m rc $LASTEXITCODE\" }\n");
    s.append("try {\n");
    s.append("  $p=Get-CimInstance Win32_Process | Select-Object ProcessId,ParentProcessId,Name,CommandLine,"
        + "@{n='Start';e={if($_.CreationDate){$_.CreationDate.ToUniversalTime().ToString('o')}}} | ConvertTo-Csv -NoTypeInformation\n");
    s.append("  \"$m processes\"; $p; \"$m rc 0\"\n");
    s.append("} catch { \"$m processes\"; \"$m rc 1\" }\n");
    r.probe().ifPresent(p -> probe(s, p, r.ports()));
    s.append("\"$m end\"\n");
    return s.toString();
  }

  /** Trial binds as Windows servers make them: no SO_REUSEADDR, a dual-mode socket for {@code ::}. */
  private static void probe(StringBuilder s, ReadRequest.Probe p, PortSet ports) {
    List<String> addrs = p.addresses().isEmpty() ? List.of("0.0.0.0", "::", "127.0.0.1", "::1") : p.addresses();
    StringBuilder a = new StringBuilder();
    for (String x : addrs) {
      if (!x.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == ':' || c == '%')) {
        throw new IllegalArgumentException("not an IP literal: " + x);
      }
      a.append(a.length() == 0 ? "" : ",").append('\'').append(x).append('\'');
    }
    boolean udp = p.protocol() == Protocol.UDP;
    s.append("\"$m probe powershell\"\n");
    s.append("foreach($q in @(").append(PosixScripts.join(ports.toList())).append(")){ foreach($x in @(").append(a).append(")){\n");
    s.append("  $f=if($x.Contains(':')){'InterNetworkV6'}else{'InterNetwork'}\n");
    s.append("  try { $k=New-Object Net.Sockets.Socket($f,").append(udp ? "'Dgram','Udp'" : "'Stream','Tcp'").append(") }"
        + " catch { \"$q $x 0 err AddressFamilyNotSupported $($_.Exception.Message)\"; continue }\n");
    s.append("  try { if($x -eq '::'){ $k.DualMode=$true }; $k.Bind((New-Object Net.IPEndPoint([Net.IPAddress]::Parse($x),$q)));"
        + (udp ? "" : " $k.Listen(1);") + " \"$q $x 0 free\" }\n");
    s.append("  catch { $e=$_.Exception; while($e.InnerException){$e=$e.InnerException};"
        + " $c=if($e -is [Net.Sockets.SocketException]){$e.SocketErrorCode}else{'Error'}; \"$q $x 0 err $c $($e.Message)\" }\n");
    s.append("  finally { $k.Close() }\n");
    s.append("}}\n");
    s.append("\"$m rc 0\"\n");
  }
}
