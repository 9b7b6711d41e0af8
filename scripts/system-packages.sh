#!/usr/bin/env bash
# System packages the full suite needs beyond Python: Chromium (browser tests) and Pango (WeasyPrint PDFs).
# Installs them with apt-get when missing and allowed (root on Debian/Ubuntu); otherwise says what is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium chromium-driver)
if command -v dpkg >/dev/null 2>&1; then
  dpkg -s libpango-1.0-0 libpangoft2-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "Missing system packages for the full suite: ${need[*]} (install them with your package manager)." >&2
fi
