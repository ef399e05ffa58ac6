#!/usr/bin/env bash
# Builds the optional native library libportdoctor.so (src/main/native/linux/portdoctor_linux.c) for the
# machine's own CPU; run by Maven (pom.xml, profile native-linux, which is active on Linux where
# /usr/bin/gcc exists) after javac has written the JNI header. Without the JDK's JNI headers, or on a
# CPU that LinuxNative does not know, it builds nothing and says so: the jar is complete without the
# library (portdoctor then reads /proc in Java). A compile error fails the build.
#
#   build.sh SOURCE_DIR HEADER_DIR JAVA_HOME CLASSES_DIR BESIDE_DIR
#
# Output: CLASSES_DIR/native/PLATFORM/libportdoctor.so (into the jar) and the same file in
# BESIDE_DIR/native/PLATFORM/ (beside target/portdoctor.jar, where the launcher's runs find it without
# extracting it, and into lib/ of the release archive).
set -euo pipefail
[ $# -eq 5 ] || { echo "usage: build.sh SOURCE_DIR HEADER_DIR JAVA_HOME CLASSES_DIR BESIDE_DIR" >&2; exit 2; }
src="$1"; headers="$2"; jdk="$3"; classes="$4"; beside="$5"

case "$(uname -m)" in
  x86_64|amd64) platform=linux-x86_64 ;;
  aarch64|arm64) platform=linux-aarch64 ;;
  *) echo "[native] $(uname -m): no native library for this CPU; the jar reads /proc in Java"; exit 0 ;;
esac
jni="$jdk/include"
if [ ! -f "$jni/jni.h" ] || [ ! -f "$jni/linux/jni_md.h" ]; then
  echo "[native] no JNI headers in $jni: no native library; the jar reads /proc in Java"
  exit 0
fi
header="$headers/dev_portdoctor_os_linux_LinuxNative.h"
[ -f "$header" ] || { echo "[native] $header is missing: javac -h did not write it" >&2; exit 1; }

out="$classes/native/$platform/libportdoctor.so"
mkdir -p "$(dirname "$out")" "$beside/native/$platform"
if [ ! -f "$out" ] || [ "$src/portdoctor_linux.c" -nt "$out" ] || [ "$header" -nt "$out" ] || [ "${BASH_SOURCE[0]}" -nt "$out" ]; then
  # -Werror: a warning here is a bug. Hardened like a distribution's package; no build id, so that the
  # same sources give the same bytes.
  gcc -std=gnu11 -O2 -fPIC -shared -fvisibility=hidden \
    -Wall -Wextra -Wconversion -Wno-sign-conversion -Werror \
    -fstack-protector-strong -D_FORTIFY_SOURCE=2 \
    -I"$jni" -I"$jni/linux" -I"$headers" \
    -Wl,-z,noexecstack -Wl,-z,relro -Wl,-z,now -Wl,--build-id=none \
    -o "$out.tmp" "$src/portdoctor_linux.c"
  mv -f "$out.tmp" "$out"
fi
cp -f "$out" "$beside/native/$platform/libportdoctor.so"
echo "[native] $out ($(wc -c < "$out") bytes)"
