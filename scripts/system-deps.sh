#!/usr/bin/env bash
# Install the Debian packages briefing needs, only where they are missing.
#   pango + harfbuzz-subset: WeasyPrint's text layout and font subsetting
#   poppler-utils: pdftotext for the bidi regression tests, pdftoppm for screenshots
#   openssl: the certificate of the STARTTLS test
#   chromium + chromium-driver: the real-browser test (tests/render/test_browser.py, which
#     Selenium drives through Debian's chromedriver) and `make screenshots`; only with
#     --with-browser (what `make test` asks for) or --with-screenshots
#   python3-venv: `python3 -m venv` on a Debian system Python
#   postgresql: initdb and pg_ctl for the store tests on a real PostgreSQL (tests/postgres.py
#     starts a throwaway server in a temporary folder; the package's own service is not
#     needed); only with --with-postgres (what `make test` asks for), and only where no
#     /usr/lib/postgresql/*/bin/initdb is found
set -euo pipefail

want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 shared-mime-info poppler-utils openssl)
if [[ " $* " == *" --with-browser "* || " $* " == *" --with-screenshots "* ]]; then
  want+=(chromium chromium-driver)
fi

missing=()
if [[ " $* " == *" --with-postgres "* ]] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if ! python3 -c "import ensurepip, venv" 2>/dev/null; then
  missing+=(python3-venv)
fi
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "system-deps: please install with your package manager: ${missing[*]}" >&2
  exit 0  # not Debian: WeasyPrint will say what it lacks
fi
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
echo "system-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
