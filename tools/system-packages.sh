#!/usr/bin/env bash
# Debian packages the project needs beside its Python and npm ones, installed when missing.
#   run:  the court PDF (WeasyPrint) needs Pango and the DejaVu fonts (they cover the Kazakh letters).
#   test: the same, plus chromium for the browser tests (Playwright's own browser download is not used),
#         poppler-utils to read the PDFs back, and faketime for the shifted-clock run.
set -euo pipefail
purpose=${1:-test}
missing=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
compgen -G '/usr/lib/*/libpangoft2-1.0.so.0' >/dev/null || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ "$purpose" = test ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v faketime >/dev/null || missing+=(faketime)
  command -v pdftotext >/dev/null || missing+=(poppler-utils)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
$SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}"
