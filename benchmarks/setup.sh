#!/usr/bin/env bash
# Install the peer tools the benchmarks compare ics-rules against, into benchmarks/.peers/.
# Idempotent: re-running only installs what is missing. Uses the ordinary pip and npm clients.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
peers="$here/.peers"
venv="$peers/venv"
npm_prefix="$peers/npm"
python="${PYTHON:-python3}"

mkdir -p "$peers"

# Python peers: check-jsonschema, rule-engine, cel-python (+ PyYAML to load the fixtures).
py_pkgs=(check-jsonschema rule-engine cel-python PyYAML)
if [ ! -x "$venv/bin/python" ]; then
  echo "setup: creating venv $venv"
  "$python" -m venv "$venv"
fi
if "$venv/bin/python" -c "import check_jsonschema, rule_engine, celpy, yaml" 2>/dev/null; then
  echo "setup: python peers already installed"
else
  echo "setup: installing ${py_pkgs[*]}"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${py_pkgs[@]}"
fi

# JS peer: Stoplight Spectral CLI.
if [ -x "$npm_prefix/node_modules/.bin/spectral" ]; then
  echo "setup: spectral already installed"
else
  echo "setup: installing @stoplight/spectral-cli"
  npm install --prefix "$npm_prefix" --no-audit --no-fund --loglevel=error @stoplight/spectral-cli
fi

echo "setup: versions"
"$venv/bin/python" - <<'PY'
from importlib.metadata import version
for name in ("check-jsonschema", "rule-engine", "cel-python", "PyYAML"):
    print(f"  {name} {version(name)}")
PY
echo "  spectral $("$npm_prefix/node_modules/.bin/spectral" --version)"
echo "setup: done (venv: $venv, spectral: $npm_prefix/node_modules/.bin/spectral)"
