#!/usr/bin/env bash
# Prints, one per line, the given modules whose runnable jar must be built again: the jar is
# missing, or a file under src/ or a pom.xml of the module, or of any module it depends on
# (io.callhook dependencies in its pom.xml, followed transitively), or the root pom.xml, is newer.
# The launcher (./callhook demo, bench, cli) builds when this prints anything, so an edit in
# payload-model or service-kit reaches the services it is built into.
#
#   scripts/stale-modules.sh ROOT MODULE...
#   scripts/stale-modules.sh --jar ROOT MODULE     prints the module's runnable jar
set -euo pipefail

jar_only=0
if [[ "${1:-}" == --jar ]]; then
  jar_only=1
  shift
fi
root="$1"
shift

# The runnable jar of a module, where its pom puts it.
jar_of() {
  case "$1" in
    schema-registry) echo "$root/schema-registry/target/quarkus-app/quarkus-run.jar" ;;
    *) echo "$root/$1/target/$1.jar" ;;
  esac
}

if ((jar_only)); then
  jar_of "$1"
  exit 0
fi

# The io.callhook artifacts a module's pom depends on (any scope), which are our modules' names.
direct_deps() {
  awk '
    /<parent>/ { in_parent = 1 }
    /<\/parent>/ { in_parent = 0; next }
    in_parent { next }
    /<exclusions>/ { in_excl = 1 }
    /<\/exclusions>/ { in_excl = 0; next }
    in_excl { next }
    /<dependency>/ { in_dep = 1; group = ""; artifact = ""; next }
    in_dep && /<groupId>/ { gsub(/.*<groupId>|<\/groupId>.*/, ""); group = $0 }
    in_dep && /<artifactId>/ { gsub(/.*<artifactId>|<\/artifactId>.*/, ""); artifact = $0 }
    /<\/dependency>/ { if (group == "io.callhook") print artifact; in_dep = 0 }
  ' "$root/$1/pom.xml"
}

# The module and every module it depends on, each once.
closure() {
  local -A seen=()
  local queue=("$1") module dep
  while ((${#queue[@]})); do
    module="${queue[0]}"
    queue=("${queue[@]:1}")
    [[ -n "${seen[$module]:-}" ]] && continue
    seen[$module]=1
    echo "$module"
    if [[ -f "$root/$module/pom.xml" ]]; then
      while read -r dep; do
        [[ -n "$dep" && -d "$root/$dep" ]] && queue+=("$dep")
      done < <(direct_deps "$module")
    fi
  done
}

for module in "$@"; do
  jar="$(jar_of "$module")"
  if [[ ! -f "$jar" ]]; then
    echo "$module"
    continue
  fi
  sources=("$root/pom.xml")
  while read -r part; do
    sources+=("$root/$part/pom.xml")
    [[ -d "$root/$part/src" ]] && sources+=("$root/$part/src")
  done < <(closure "$module")
  if [[ -n "$(find "${sources[@]}" -newer "$jar" -type f -print -quit 2>/dev/null)" ]]; then
    echo "$module"
  fi
done
