#!/usr/bin/env bash
# Install the Debian packages the tests need, only where missing: Chromium (Playwright drives
# /usr/bin/chromium; `playwright install` cannot download here), Arabic fonts, Raqm so Pillow shapes Arabic,
# and a Java runtime for the Spark engine's tests (pyspark 4 runs on Java 17).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -e /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf ] || need+=(fonts-noto-core)
ls /usr/share/fonts/*/fonts-hosny-amiri/Amiri-Regular.ttf >/dev/null 2>&1 || need+=(fonts-hosny-amiri)
ldconfig -p 2>/dev/null | grep -q libraqm || need+=(libraqm0)
ldconfig -p 2>/dev/null | grep -q libfribidi || need+=(libfribidi0)
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
if [ ${#need[@]} -eq 0 ]; then
  echo "sysdeps: chromium, Arabic fonts, raqm and java present"
  exit 0
fi
echo "sysdeps: installing ${need[*]}"
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo -n"; else
    echo "sysdeps: need root (or sudo) to install: ${need[*]}" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# the JRE's postinst links its man pages: slim images have no /usr/share/man/man1
case " ${need[*]} " in *" openjdk-17-jre-headless "*) $SUDO mkdir -p /usr/share/man/man1 ;; esac
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "sysdeps: done"
