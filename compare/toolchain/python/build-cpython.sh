#!/usr/bin/env bash
# Builds CPython 3.13 twice (default and free-threaded --disable-gil) from the
# upstream tarball that Debian trixie's python3.13 source package carries, fetched
# through a private apt configuration (the machine's own sources stay untouched).
# Installs are keyed by version and configure flags under $TRIBENCH_CACHE, so a
# second run only checks them. Exits non-zero, with the failing stage, on failure.
set -Eeuo pipefail

CACHE=${TRIBENCH_CACHE:-$HOME/.cache/tribench}
APT_DIR=$CACHE/apt
SRC_DIR=$CACHE/src
TOOLCHAINS=$CACHE/toolchains
BIN=$CACHE/bin
# Plain builds (no --enable-optimizations): see README, "CPython 3.13", for why.
CONFIGURE_DEFAULT=(--with-ensurepip=install)
CONFIGURE_FREETHREADED=(--with-ensurepip=install --disable-gil)
BUILD_DEPS=(build-essential pkg-config libssl-dev zlib1g-dev libbz2-dev libreadline-dev libsqlite3-dev
  libffi-dev liblzma-dev uuid-dev libgdbm-dev libgdbm-compat-dev libncurses-dev libexpat1-dev
  xz-utils)

say() { echo "tribench setup: $*"; }

stage=""
log=""
on_error() {
  say "CPython build failed at stage '$stage'${log:+ (log: $log)}"
  [ -n "$log" ] && [ -f "$log" ] && tail -n 30 "$log" | sed 's/^/    /'
}
trap on_error ERR

# apt_private runs apt-get on the private configuration, bounded in time.
apt_private() {
  timeout 300 apt-get -o Dir::Etc::SourceList="$APT_DIR/etc/sources.list" \
    -o Dir::Etc::SourceParts="$APT_DIR/etc/sources.list.d" \
    -o Dir::Etc::PreferencesParts="$APT_DIR/etc/preferences.d" \
    -o Dir::State="$APT_DIR/state" -o Dir::State::status=/var/lib/dpkg/status \
    -o Dir::Cache="$APT_DIR/cache" -o APT::Sandbox::User=root \
    -o Acquire::Retries=2 -o Acquire::http::Timeout=30 "$@"
}

fetch_source() {
  local tarball
  tarball=$(ls "$SRC_DIR"/python3.13_3.13.*.orig.tar.xz 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$tarball" ]; then
    echo "$tarball"
    return
  fi
  mkdir -p "$APT_DIR/etc/sources.list.d" "$APT_DIR/etc/preferences.d" "$APT_DIR/state/lists/partial" \
    "$APT_DIR/cache/archives/partial" "$SRC_DIR"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
    >"$APT_DIR/etc/sources.list"
  apt_private -qq update >&2
  (cd "$SRC_DIR" && apt_private -qq source --download-only python3.13 >&2)
  ls "$SRC_DIR"/python3.13_3.13.*.orig.tar.xz | sort -V | tail -n 1
}

install_build_deps() {
  stage="install build dependencies"
  local missing=()
  for p in "${BUILD_DEPS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing build dependencies: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    timeout 600 apt-get -qq update
    timeout 900 apt-get -qq install -y --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# build NAME TARBALL FLAGS... : configure, make, install into a keyed prefix.
build() {
  local name=$1 tarball=$2
  shift 2
  local version flags_hash prefix exe
  version=$(basename "$tarball" | sed -E 's/^python3\.13_([0-9.]+)\.orig\.tar\.xz$/\1/')
  flags_hash=$(printf '%s\n' "$@" | sha256sum | cut -c1-10)
  prefix=$TOOLCHAINS/cpython-$version-$name-$flags_hash
  exe=python3.13
  [ "$name" = freethreaded ] && exe=python3.13t
  if [ -x "$prefix/bin/$exe" ] && "$prefix/bin/$exe" -c 'import ssl, sqlite3, ctypes, lzma, bz2, zlib, readline' 2>/dev/null; then
    ln -sfn "$prefix/bin/$exe" "$BIN/$exe"
    say "CPython $version ($name) cached at $prefix"
    return
  fi
  local work=$CACHE/build/cpython-$version-$name
  log=$CACHE/build/cpython-$version-$name.log
  rm -rf "$work" "$prefix"
  mkdir -p "$work" "$BIN"
  stage="unpack $name"
  tar -xJf "$tarball" -C "$work" --strip-components=1
  stage="configure $name"
  say "building CPython $version ($name): configure"
  (cd "$work" && ./configure --prefix="$prefix" "$@") >"$log" 2>&1
  stage="make $name"
  say "building CPython $version ($name): make -j$(nproc) (about 2 minutes)"
  (cd "$work" && make -j"$(nproc)") >>"$log" 2>&1
  stage="install $name"
  (cd "$work" && make install) >>"$log" 2>&1
  stage="check $name"
  "$prefix/bin/$exe" -c 'import ssl, sqlite3, ctypes, lzma, bz2, zlib, readline' >>"$log" 2>&1
  ln -sfn "$prefix/bin/$exe" "$BIN/$exe"
  rm -rf "$work"
  log=""
  say "CPython $version ($name) installed at $prefix"
}

install_build_deps
# Set here: fetch_source runs in a subshell, so its own assignments would be lost.
stage="fetch the trixie python3.13 source"
tarball=$(fetch_source)
build default "$tarball" "${CONFIGURE_DEFAULT[@]}"
build freethreaded "$tarball" "${CONFIGURE_FREETHREADED[@]}"
