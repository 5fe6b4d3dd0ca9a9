#!/usr/bin/env bash
# The formatting of the C++ sources, checked (ctest label unit): every .cpp/.hpp/.h file under the
# source directories must be as clang-format-14 formats it with the repository's .clang-format.
# A file that differs is listed with its first differing line. Reformat with
#   clang-format-14 -i $(git ls-files '*.cpp' '*.hpp' '*.h')
# Usage: check_format.sh ROOT          (exit 0: clean; 1: files differ, listed)
#        check_format.sh --self-test   (formats a badly formatted file in a temporary tree, expects 1)
set -euo pipefail

CLANG_FORMAT="${CLANG_FORMAT:-clang-format-14}"
if ! command -v "$CLANG_FORMAT" >/dev/null; then
  echo "check_format.sh: $CLANG_FORMAT not found (scripts/setup.sh installs clang-format-14)" >&2
  exit 2
fi
if ! "$CLANG_FORMAT" --version | grep -q 'version 14\.'; then
  echo "check_format.sh: $CLANG_FORMAT is not clang-format 14 ($("$CLANG_FORMAT" --version))" >&2
  exit 2
fi

check() {
  local root="$1" bad=0 files=0
  if [ ! -d "$root" ]; then
    echo "check_format.sh: $root is not a directory" >&2
    return 2
  fi
  while IFS= read -r -d '' f; do
    files=$((files + 1))
    if ! out="$("$CLANG_FORMAT" --style=file --dry-run -Werror "$f" 2>&1)"; then
      echo "${f#"$root"/}: not formatted (clang-format-14): $(echo "$out" | grep -m1 -oE ':[0-9]+:[0-9]+' || true)"
      bad=1
    fi
  done < <(find "$root" \( -path "$root/build*" -o -path "$root/.git" -o -path "$root/web/node_modules" \) -prune -o \
             -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) -print0 | sort -z)
  if [ "$files" -eq 0 ]; then
    echo "check_format.sh: no C++ files under $root" >&2
    return 2
  fi
  return $bad
}

if [ "${1:-}" = "--self-test" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  here="$(cd "$(dirname "$0")/../.." && pwd)"
  cp "$here/.clang-format" "$tmp/.clang-format"
  mkdir -p "$tmp/engine"
  printf 'int f(int a) {\n  return a;\n}\n' > "$tmp/engine/ok.cpp"
  check "$tmp" >/dev/null || { echo "self-test: a formatted file was reported" >&2; exit 1; }
  printf 'int   g( int a ){return a ;}\n' > "$tmp/engine/bad.cpp"
  if check "$tmp" >/dev/null; then
    echo "self-test: a badly formatted file was not reported" >&2
    exit 1
  fi
  echo "self-test passed"
  exit 0
fi

check "${1:?usage: check_format.sh ROOT | --self-test}"
