#!/usr/bin/env bash
# check-style.sh - the review checks a machine can make (STYLE G24): banned
# calls, hidden-return macros, SQL formatted from values, memcmp where
# secrets live, and the house format (.clang-format). Exit 1 on any finding.
# usage: tools/check-style.sh [--no-format]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
fail=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*')

report() { # report TITLE MATCHES
  if [ -n "$2" ]; then
    printf 'check-style: %s:\n%s\n' "$1" "$2"
    fail=1
  fi
}

# shellcheck disable=SC2086
report "banned function (use snprintf/strtol/explicit code instead)" \
  "$(grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strtok|gets|atoi|atol|system)[[:space:]]*\(' $files)"
# shellcheck disable=SC2086
report "freeDiameter macros with hidden returns or deprecated logging" \
  "$(grep -nE '\b(CHECK_FCT|CHECK_FCT_DO|CHECK_POSIX|CHECK_MALLOC|TRACE_DEBUG|fd_log_debug)\b' $files)"
# shellcheck disable=SC2086
report "values formatted into SQL (bind parameters instead)" \
  "$(grep -nE 'sqlite3_(v?mprintf|snprintf)' $files)"
# shellcheck disable=SC2086
report "memcmp where secrets are handled (use hss_secret_equal)" \
  "$(grep -nwE 'memcmp[[:space:]]*\(' $(echo "$files" | grep -E '^(extensions|hss-store)/') |
     grep -vE '^[^:]+:[0-9]+:[[:space:]]*(\*|/\*|//)')"

if [ "${1:-}" != "--no-format" ] && command -v clang-format >/dev/null; then
  # shellcheck disable=SC2086
  bad=$(for f in $files; do
          clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"
        done)
  report "not in the house format (run: clang-format -i FILE)" "$bad"
fi
[ $fail -eq 0 ] && echo "check-style: clean"
exit $fail
