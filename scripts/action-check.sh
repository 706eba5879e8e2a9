#!/usr/bin/env bash
# The GitHub Action's check step (action.yml): runs `sdnb check|run --format github` over the
# globs in SDNB_FILES, so findings become annotations on the pull request. sdnb expands the globs
# itself (the shell must not), and its exit status is the step's: 0 clean, 1 findings or unmet
# requirements, 2 bad usage or an unreadable file (see docs/ci.md).
set -euo pipefail

case "${SDNB_COMMAND:-check}" in
  check | run) ;;
  *)
    echo "::error title=System Design Notebook::command must be check or run, not '${SDNB_COMMAND}'"
    exit 2
    ;;
esac

# Split the globs on blanks and new lines without expanding them.
set -f
read -r -d '' -a patterns <<< "${SDNB_FILES:-**/*.sdnb **/*.sdnb.md}" || true
set +f

args=("${SDNB_COMMAND:-check}" --format github)
if [ -n "${SDNB_MAX_WARNINGS:-}" ]; then
  if [ "${SDNB_COMMAND:-check}" = run ]; then echo "::notice title=System Design Notebook::max-warnings counts the warnings of check; run does not review the design"; fi
  args+=(--max-warnings "$SDNB_MAX_WARNINGS")
fi
args+=("${patterns[@]}")

echo "sdnb ${args[*]}"
exec node "${SDNB_CLI:-$GITHUB_ACTION_PATH/dist/cli.js}" "${args[@]}"
