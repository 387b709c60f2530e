#!/bin/sh
# Shellchecks the repository's shell scripts (npm run lint). Without shellcheck it says so and succeeds, so that
# lint still runs on a machine that lacks it; CI installs it (.ci/run).
set -eu
cd "$(dirname "$0")/.."

if ! command -v shellcheck >/dev/null 2>&1; then
  echo 'lint-shell: skipped, shellcheck is not installed (apt-get install shellcheck to lint the shell scripts)'
  exit 0
fi
shellcheck scripts/*.sh scripts/images-offline/*.sh .ci/run
echo "lint-shell: $(shellcheck --version | sed -n 's/^version: /shellcheck /p'): no findings"
