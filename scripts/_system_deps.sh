# Sourced by scripts/test: Debian packages the tests need, installed only when missing
# (CI runs as root on a fresh machine with no package cache; `apt-get update` runs once).
#   chromium  the real browser the browser tests drive (Playwright never downloads one)
#   gettext   msgfmt/xgettext for Django's makemessages/compilemessages
#   libpango-1.0-0, libpangoft2-1.0-0, fonts-dejavu-core  WeasyPrint's PDF reports
#   poppler-utils  pdftoppm, which renders the PDF reports to images in their tests
#   default-jre-headless  Java 17+ for Spark in local mode (the engine's Spark tests)
#   nodejs, npm    the OpenID Connect provider of the single sign-on tests (_node_deps.sh)
_opennps_missing=()
command -v chromium >/dev/null 2>&1 || _opennps_missing+=(chromium)
command -v msgfmt >/dev/null 2>&1 || _opennps_missing+=(gettext)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' \
    || _opennps_missing+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -d /usr/share/fonts/truetype/dejavu ] || _opennps_missing+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null 2>&1 || _opennps_missing+=(poppler-utils)
# Spark 4 needs Java 17 or later: `java -version` prints e.g. 'openjdk version "17.0.15"'.
_opennps_java=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
[ "${_opennps_java:-0}" -ge 17 ] 2>/dev/null || _opennps_missing+=(default-jre-headless)
command -v node >/dev/null 2>&1 || _opennps_missing+=(nodejs)
command -v npm >/dev/null 2>&1 || _opennps_missing+=(npm)
if [ "${#_opennps_missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "opennps: installing ${_opennps_missing[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        mkdir -p /usr/share/man/man1  # OpenJDK's postinst links a man page there (slim images)
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${_opennps_missing[@]}" >/dev/null
    else
        echo "opennps: missing Debian packages: ${_opennps_missing[*]} (install them as root);" \
             "the tests that need them will be skipped locally and fail in CI" >&2
    fi
fi
unset _opennps_missing _opennps_java
