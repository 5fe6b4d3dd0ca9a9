#!/usr/bin/env bash
# The layering of the source tree, checked (ctest label unit): a project include in a forbidden
# direction fails with file:line. The layers (docs/architecture.md):
#   engine/    generic simulation engine: includes engine/ only
#   models/    the model: engine/ and models/ (never analysis/ or apps/)
#   analysis/  reads result files: engine/ and analysis/ (never models/ or apps/)
#   apps/      the command line and servers: anything
# Usage: check_includes.sh ROOT   (exit 0: clean; 1: violations, listed)
#        check_includes.sh --self-test   (plants a violation in a temporary tree, expects exit 1)
set -euo pipefail

check() {
  local root="$1" bad=0
  declare -A forbidden=(
    [engine]="models analysis apps"
    [models]="analysis apps"
    [analysis]="models apps"
  )
  for layer in engine models analysis; do
    [ -d "$root/$layer" ] || continue
    for other in ${forbidden[$layer]}; do
      while IFS= read -r hit; do
        [ -n "$hit" ] || continue
        local where="${hit#"$root"/}"
        where="$(echo "$where" | cut -d: -f1,2)"
        echo "$where: $layer/ must not include $other/ (docs/architecture.md)"
        bad=1
      done < <(grep -rnE "^[[:space:]]*#[[:space:]]*include[[:space:]]+\"$other/" "$root/$layer" \
                 --include='*.cpp' --include='*.hpp' --include='*.h' || true)
    done
  done
  return $bad
}

if [ "${1:-}" = "--self-test" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/engine" "$tmp/analysis" "$tmp/models"
  printf '#include "engine/a.hpp"\n' > "$tmp/engine/ok.cpp"
  printf '#include "engine/a.hpp"\n#include "models/results.hpp"\n' > "$tmp/analysis/bad.cpp"
  if out="$(check "$tmp")"; then
    echo "self-test: a planted analysis -> models include was not found"; exit 1
  fi
  case "$out" in
    *"analysis/bad.cpp:2: analysis/ must not include models/"*) echo "self-test: ok" ;;
    *) echo "self-test: unexpected report: $out"; exit 1 ;;
  esac
  exit 0
fi

check "${1:?usage: check_includes.sh ROOT | --self-test}" && echo "include rules: ok"
