# Made by JReleaser from src/jreleaser/distributions/portdoctor/brew/formula.rb.tpl at 'mvn package'
class {{brewFormulaName}} < Formula
  desc "{{projectDescription}}"
  homepage "{{projectLinkHomepage}}"
  url "{{distributionUrl}}"
  version "{{projectVersion}}"
  sha256 "{{distributionChecksumSha256}}"
  license "{{projectLicense}}"

  {{#brewDependencies}}
  depends_on {{.}}
  {{/brewDependencies}}

  def install
    rm "bin/portdoctor.cmd"
    libexec.install "bin", "lib"
    (bin/"portdoctor").write_env_script libexec/"bin/portdoctor",
      Language::Java.overridable_java_home_env("{{distributionJavaVersion}}")
    man1.install Dir["man/man1/*.1"]
    bash_completion.install "completion/portdoctor.bash" => "portdoctor"
  end

  test do
    assert_match "portdoctor {{projectVersion}}", shell_output("#{bin}/portdoctor --version")
    require "socket"
    server = TCPServer.new("127.0.0.1", 0)
    port = server.addr[1]
    # who names this test's own process as the holder of the port it listens on
    assert_match(/"pid"\s*:\s*#{Process.pid}\b/, shell_output("#{bin}/portdoctor who #{port} --json"))
    shell_output("#{bin}/portdoctor check #{port} --quiet", 1)
  ensure
    server&.close
  end
end
