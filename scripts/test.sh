#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run): dependencies and build, type check, lint,
# then every test with node's built-in runner, files in parallel. Exits non-zero on any failure.
#
#   scripts/test.sh                                  # everything
#   scripts/test.sh test/storage/sqlite.test.ts      # only these files (.ts or dist/ .js paths)
#   scripts/test.sh --test-name-pattern=watch        # extra options for node --test
#
# Unit tests sit beside the code (src/**/*.test.ts), integration tests in test/**/*.test.ts;
# both run from their compiled form in dist/. Environment:
#   KTS_TEST_CONCURRENCY  test files run at once (default: 2)
#   KTS_TEST_TIMEOUT_MS   limit per test (default: 300000)
#   KTS_TEST_SKIP_LINT=1  skip the lint step (handy while iterating; CI never sets it)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\n== %s\n' "$*"; }

node_options=()
files=()
for arg in "$@"; do
  case "$arg" in
    -*) node_options+=("$arg") ;;
    dist/*.js) files+=("$arg") ;;
    *.ts) files+=("dist/${arg%.ts}.js") ;;
    *) echo "test.sh: not a test file (.ts source or dist/ .js): $arg" >&2; exit 2 ;;
  esac
done

step "dependencies and build (scripts/ensure-deps.sh)"
scripts/ensure-deps.sh

# ensure-deps builds with tsc, which already fails on a type error; this step checks the whole
# project again without emitting, so a type error is reported as such even if dist/ is current.
step "typecheck (tsc --noEmit)"
node_modules/.bin/tsc -p tsconfig.json --noEmit --incremental false --tsBuildInfoFile null

if [[ "${KTS_TEST_SKIP_LINT:-}" == 1 ]]; then
  step "lint skipped (KTS_TEST_SKIP_LINT=1)"
else
  step "lint (eslint .)"
  node_modules/.bin/eslint .
fi

if ((${#files[@]} == 0)); then
  while IFS= read -r f; do files+=("$f"); done < <(
    find dist/src dist/test -type f -name '*.test.js' 2>/dev/null | LC_ALL=C sort
  )
fi
if ((${#files[@]} == 0)); then
  echo "test.sh: no test files found under dist/src or dist/test" >&2
  exit 1
fi
for f in "${files[@]}"; do
  [[ -f "$f" ]] || { echo "test.sh: no such compiled test: $f" >&2; exit 2; }
done

# spec reads best in a terminal; elsewhere (CI) TAP, whose summary ends "# pass N", "# fail N".
reporter=tap
if [[ -t 1 ]]; then reporter=spec; fi

step "tests (${#files[@]} files, node --test, reporter $reporter)"
exec node --test \
  --test-reporter="$reporter" \
  --test-concurrency="${KTS_TEST_CONCURRENCY:-2}" \
  --test-timeout="${KTS_TEST_TIMEOUT_MS:-300000}" \
  "${node_options[@]}" \
  "${files[@]}"
