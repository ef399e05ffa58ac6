#!/usr/bin/env bash
# Installs portdoctor into a prefix (default ~/.local):
#   PREFIX/share/portdoctor/portdoctor.jar        the jar
#   PREFIX/share/portdoctor/native/*/libportdoctor.so   the optional native library (Linux), when beside it
#   PREFIX/bin/portdoctor                         a launcher
#   PREFIX/share/portdoctor/portdoctor.jsa        an AppCDS archive for the java found, when it helps
#   PREFIX/share/man/man1/portdoctor*.1           man pages, when they are beside this script
#   PREFIX/share/bash-completion/completions/portdoctor   bash completion, likewise
#   PREFIX/share/portdoctor/installed.txt         what was installed, for --uninstall
# Run it again to update (idempotent). --uninstall removes exactly what it installed: those files, and
# the folders it had to create, when they are empty.
#
# Usage: install.sh [--prefix DIR] [--jar FILE] [--no-cds] [--uninstall]
set -euo pipefail

prefix="${HOME}/.local"
jar_src=""
cds=1
uninstall=0
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() { echo "install.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --jar) [ $# -ge 2 ] || die "--jar needs a file"; jar_src="$2"; shift 2 ;;
    --jar=*) jar_src="${1#--jar=}"; shift ;;
    --no-cds) cds=0; shift ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
[ -n "$prefix" ] || die "--prefix must not be empty"
case "$prefix" in /*) ;; *) prefix="$PWD/$prefix" ;; esac
prefix="${prefix%/}"

share="$prefix/share/portdoctor"
manifest="$share/installed.txt"

# ---------------------------------------------------------------- uninstall
if [ "$uninstall" = 1 ]; then
  if [ ! -f "$manifest" ]; then
    echo "install.sh: nothing to uninstall in $prefix (no $manifest)" >&2
    exit 1
  fi
  files=()
  dirs=()
  while IFS= read -r line; do
    case "$line" in
      "file "*) files+=("${line#file }") ;;
      "dir "*) dirs+=("${line#dir }") ;;
    esac
  done < "$manifest"
  for f in ${files[@]+"${files[@]}"}; do
    if [ -e "$f" ] || [ -L "$f" ]; then
      rm -f -- "$f"
      echo "removed $f"
    fi
  done
  rm -f -- "$manifest"
  # the folders this script created, deepest first, only when nothing else lives in them
  if [ ${#dirs[@]} -gt 0 ]; then
    while IFS= read -r d; do
      rmdir -- "$d" 2>/dev/null && echo "removed $d/" || true
    done < <(printf '%s\n' "${dirs[@]}" | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2-)
  fi
  exit 0
fi

# ---------------------------------------------------------------- what to install
if [ -z "$jar_src" ]; then
  for candidate in "$here/lib/portdoctor.jar" "$here/../lib/portdoctor.jar" "$here/../target/portdoctor.jar"; do
    if [ -f "$candidate" ]; then
      jar_src="$candidate"
      break
    fi
  done
fi
[ -n "$jar_src" ] && [ -f "$jar_src" ] || die "no portdoctor.jar found beside this script; build it with 'mvn -B package' or pass --jar FILE"

first_dir() { for d in "$@"; do [ -d "$d" ] && { echo "$d"; return; }; done; }
first_file() { for f in "$@"; do [ -f "$f" ] && { echo "$f"; return; }; done; }
man_src="$(first_dir "$here/man/man1" "$here/../man/man1" "$here/../target/man/man1")"
completion_src="$(first_file "$here/completion/portdoctor.bash" "$here/../completion/portdoctor.bash" \
  "$here/../target/completion/portdoctor.bash")"

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java="$JAVA_HOME/bin/java"
else
  java="$(command -v java || true)"
fi
[ -n "$java" ] || { echo "install.sh: no java found (install Java 17 or later, or set JAVA_HOME)" >&2; exit 70; }
java_real="$(readlink -f "$java" 2>/dev/null || echo "$java")"

# ---------------------------------------------------------------- the manifest
declare -a entries=()
if [ -f "$manifest" ]; then # an earlier install: keep what it recorded, so --uninstall still knows it
  while IFS= read -r line; do entries+=("$line"); done < "$manifest"
fi
record() {
  local e
  for e in ${entries[@]+"${entries[@]}"}; do [ "$e" = "$1" ] && return; done
  entries+=("$1")
}
# mkdir -p that records each folder it creates
make_dir() {
  local d="$1" missing=()
  while [ ! -d "$d" ]; do
    missing=("$d" ${missing[@]+"${missing[@]}"})
    d="$(dirname "$d")"
  done
  for d in ${missing[@]+"${missing[@]}"}; do
    mkdir -- "$d"
    record "dir $d"
  done
}
# copies a file into place through a temporary name, so a running launcher never sees half a file
put() {
  local src="$1" dest="$2" mode="$3"
  make_dir "$(dirname "$dest")"
  cp -- "$src" "$dest.tmp.$$"
  chmod "$mode" "$dest.tmp.$$"
  mv -f -- "$dest.tmp.$$" "$dest"
  record "file $dest"
  echo "installed $dest"
}

jar="$share/portdoctor.jar"
put "$jar_src" "$jar" 644
# the optional native library (Linux; lib/native/ of the release archive, target/native/ of a build):
# beside the installed jar, where portdoctor looks first (without it, it extracts the copy in the jar
# into ~/.cache once, or reads /proc in Java)
for lib in "$(dirname "$jar_src")"/native/*/libportdoctor.so; do
  [ -f "$lib" ] && put "$lib" "$share/native/$(basename "$(dirname "$lib")")/libportdoctor.so" 755
done

if [ -n "$man_src" ]; then
  for page in "$man_src"/*.1; do
    [ -f "$page" ] && put "$page" "$prefix/share/man/man1/$(basename "$page")" 644
  done
fi
if [ -n "$completion_src" ]; then
  put "$completion_src" "$prefix/share/bash-completion/completions/portdoctor" 644
fi

# ---------------------------------------------------------------- AppCDS
# An archive of the classes a run loads, mapped at start instead of read from the jar one by one. It fits
# only the JVM it was made with, so the launcher uses it only with that java. Java 19+ makes and renews it
# by itself (-XX:+AutoCreateSharedArchive); Java 13-18 get one from a training run of 'list'
# (-XX:ArchiveClassesAtExit). It is kept only when it makes start-up faster here.
archive="$share/portdoctor.jsa"
feature="$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }' | tr -d ' \r')"
feature="${feature#1.}"
case "$feature" in ''|*[!0-9]*) feature=0 ;; esac
cds_opts=""
base_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn8m -Xshare:auto -Xlog:disable -Xlog:all=error:stderr)

best_ms() { # best of three runs of --version, in milliseconds
  local best=999999 i start end ms
  for i in 1 2 3; do
    start="$(date +%s%N)"
    "$java" "${base_opts[@]}" "$@" -jar "$jar" --version >/dev/null 2>&1 || return 1
    end="$(date +%s%N)"
    ms=$(( (end - start) / 1000000 ))
    [ "$ms" -lt "$best" ] && best="$ms"
  done
  echo "$best"
}

rm -f -- "$archive"
if [ "$cds" = 1 ] && [ "$feature" -ge 13 ]; then
  if [ "$feature" -ge 19 ]; then
    opts=(-XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$archive")
    "$java" "${base_opts[@]}" "${opts[@]}" -jar "$jar" list >/dev/null 2>&1 || true
  else
    opts=("-XX:SharedArchiveFile=$archive")
    "$java" "${base_opts[@]}" "-XX:ArchiveClassesAtExit=$archive" -jar "$jar" list >/dev/null 2>&1 || true
  fi
  if [ -s "$archive" ] && without="$(best_ms)" && with="$(best_ms "${opts[@]}")"; then
    if [ "$with" -le "$without" ]; then
      cds_opts="${opts[*]}"
      record "file $archive"
      echo "installed $archive (AppCDS for $java_real: start-up ${without} ms -> ${with} ms)"
    else
      rm -f -- "$archive"
      echo "no AppCDS archive: it did not make start-up faster here (${without} ms -> ${with} ms)"
    fi
  else
    rm -f -- "$archive"
    echo "no AppCDS archive: $java_real could not make one"
  fi
fi

# ---------------------------------------------------------------- the launcher
launcher="$prefix/bin/portdoctor"
make_dir "$prefix/bin"
tmp="$launcher.tmp.$$"
{
  echo '#!/usr/bin/env bash'
  echo "# portdoctor launcher, written by install.sh; remove with: install.sh --uninstall --prefix '$prefix'"
  echo 'set -euo pipefail'
  printf 'jar=%q\n' "$jar"
  printf 'cds_java=%q\n' "$java_real"
  printf 'cds_opts=%q\n' "$cds_opts"
  cat <<'LAUNCHER'
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java="$JAVA_HOME/bin/java"
else
  java="$(command -v java || true)"
fi
if [ -z "$java" ]; then
  echo "portdoctor: no java found (install Java 17 or later, or set JAVA_HOME)" >&2
  exit 70
fi
opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn8m -Xshare:auto -Xlog:disable -Xlog:all=error:stderr)
# the AppCDS archive fits only the java it was made with
if [ -n "$cds_opts" ] && [ "${PORTDOCTOR_CDS:-1}" != "0" ] \
    && [ "$(readlink -f "$java" 2>/dev/null || echo "$java")" = "$cds_java" ]; then
  read -r -a extra <<< "$cds_opts"
  opts+=("${extra[@]}")
fi
exec "$java" "${opts[@]}" -jar "$jar" "$@"
LAUNCHER
} > "$tmp"
chmod 755 "$tmp"
mv -f -- "$tmp" "$launcher"
record "file $launcher"
echo "installed $launcher"

printf '%s\n' "${entries[@]}" > "$manifest.tmp.$$"
mv -f -- "$manifest.tmp.$$" "$manifest"

case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on your PATH; add it, e.g. export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
