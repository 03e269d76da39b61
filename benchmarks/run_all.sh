#!/usr/bin/env bash
# Install the peers (benchmarks/setup.sh), check that they and benchmarks/ten.rules agree on the
# fixtures, then run every benchmark. Figures go to benchmarks/out/*.json; the Markdown tables
# are printed and also collected in benchmarks/out/results.md.
#
#   benchmarks/run_all.sh            # the real thing (about 10 minutes on 2 cores)
#   benchmarks/run_all.sh --quick    # smoke run: tiny inputs, one repetition
#   SKIP_SETUP=1 benchmarks/run_all.sh --no-peers   # ics-rules' own figures only, no installs
#
# Extra arguments (--quick, --repeat N, --no-peers) are passed to every bench_*.py script.
# PYTHON picks the interpreter that runs ics-rules (default: python3); ICS_BENCH_OUT_DIR the
# output folder (default: benchmarks/out).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
python="${PYTHON:-python3}"
out="${ICS_BENCH_OUT_DIR:-$here/out}"   # where the JSON, logs and results.md go
export ICS_BENCH_OUT_DIR="$out"
mkdir -p "$out"
cd "$root"

if [ "${SKIP_SETUP:-0}" != 1 ]; then
  "$here/setup.sh"
  echo
  echo "== peers/selfcheck.py (the four peers agree on the fixtures)"
  "$here/.peers/venv/bin/python" "$here/peers/selfcheck.py" | tail -n 3
fi

echo
echo "== ics-rules rules lint / test benchmarks/ten.rules"
"$python" -m ics_rules rules lint "$here/ten.rules"
"$python" -m ics_rules rules test "$here/ten.rules"

summary="$out/results.md"
{
  echo "# ics-rules benchmarks"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -srm), $(nproc) CPUs, $("$python" --version 2>&1)"
} > "$summary"

status=0
for script in bench_cli bench_eval bench_scale bench_report bench_documents; do
  echo
  echo "== $script $*"
  log="$out/$script.log"
  if "$python" "$here/$script.py" "$@" 2>&1 | tee "$log"; then
    { echo; echo "## $script"; echo; grep -E '^(\*\*|\||skipped|t\(|ruleset cache|load average)' "$log" | sed 's/^\(\*\*.*\*\*\)$/\n\1\n/' || true; } >> "$summary"
  else
    echo "run_all: $script failed" >&2
    status=1
  fi
done
echo
echo "run_all: tables collected in $summary"
exit $status
