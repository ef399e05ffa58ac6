#!/usr/bin/env bash
# Installs the real servers that it/RealServersIT runs (a root master with unprivileged workers:
# Debian's nginx-light and apache2; Node.js for a dual-stack server), the ansible-core that
# it/AnsiblePlaybookIT runs the examples/ansible/ playbooks with, the OpenSSH server and client that
# it/RemoteSshIT starts on a loopback port (--on), and tmux, the real terminal that it/WatchScreenIT
# drives 'watch' in, when they are missing. Debian
# only, as root. The packages' services are kept from starting at install time (policy-rc.d): the
# tests start their own servers, on loopback ports, with configurations of their own.
set -euo pipefail

need=()
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
[ -x /usr/sbin/apache2 ] || need+=(apache2)
command -v node >/dev/null 2>&1 || command -v nodejs >/dev/null 2>&1 || need+=(nodejs)
command -v ansible-playbook >/dev/null 2>&1 || need+=(ansible-core)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null 2>&1 && command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
# RemoteSshIT's hosts without ss fall back to these (netstat, lsof -F)
[ -x /usr/bin/netstat ] || [ -x /bin/netstat ] || need+=(net-tools)
command -v lsof >/dev/null 2>&1 || need+=(lsof)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
if [ ${#need[@]} -eq 0 ]; then
  echo "test-servers: nginx, apache2, node, ansible-core, sshd, ssh, netstat, lsof and tmux are installed"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test-servers: missing ${need[*]}; install them as root with apt-get (the tests that need them are skipped)" >&2
  exit 0
fi
echo "test-servers: installing ${need[*]}"
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  made_policy=1
fi
trap '[ "$made_policy" = 1 ] && rm -f "$policy"' EXIT
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "test-servers: installed ${need[*]}"
