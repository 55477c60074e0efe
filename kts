#!/usr/bin/env bash
# The kts command from a source checkout: makes sure dependencies are installed and the build
# is current (scripts/ensure-deps.sh, silent when nothing is to do), then runs the CLI.
#   ./kts server        # as root: a cluster with its state in /var/lib/kts
#   ./kts --help
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$ROOT/scripts/ensure-deps.sh" --quiet
exec node "$ROOT/dist/src/cli/main.js" "$@"
