# Sourced by scripts/test: the npm packages the tests need, from their lock file, installed
# only when missing or when the lock file changed:
#   tests/oidc  oidc-provider, a real OpenID Connect provider the single sign-on tests run on
#               loopback (node from Debian's nodejs, see _system_deps.sh)
_opennps_oidc="$ROOT/tests/oidc"
if command -v npm >/dev/null 2>&1; then
    if [ ! -f "$_opennps_oidc/node_modules/.package-lock.json" ] \
        || [ "$_opennps_oidc/package-lock.json" -nt "$_opennps_oidc/node_modules/.package-lock.json" ]; then
        echo "opennps: installing the test OpenID Connect provider (npm ci in tests/oidc)" >&2
        npm ci --prefix "$_opennps_oidc" --no-audit --no-fund --loglevel=error >/dev/null
    fi
else
    echo "opennps: npm is missing; the single sign-on tests will be skipped locally and fail" \
         "in CI" >&2
fi
unset _opennps_oidc
