#!/usr/bin/env bash
# Debian packages Casebook needs beyond Python: Pango for WeasyPrint, cairo for CairoSVG (an SVG
# logo drawn for the slides), fonts for every script a case may contain (Latin, Arabic, CJK,
# emoji), poppler-utils to inspect PDFs in tests, and
# Chromium for the browser tests. Installs what is missing when run as root; otherwise says
# what to install. --browser adds what the website tests need: Chromium, Java for the Nu Html
# Checker, and Node.js with npm for the checkers in package.json.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libcairo2 fonts-noto-core fonts-noto-cjk
          fonts-noto-color-emoji fonts-dejavu-core poppler-utils)
if [ "${1:-}" = "--browser" ]; then
  packages+=(chromium default-jre-headless)
  # Node.js may come from elsewhere than Debian (with npm inside): only add what is missing.
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi
missing=()
for package in "${packages[@]}"; do
  [ "$package" = default-jre-headless ] && command -v java >/dev/null && continue
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Casebook needs these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]} ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
