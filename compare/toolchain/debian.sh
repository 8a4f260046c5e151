#!/usr/bin/env bash
# `make setup` for Debian packages: installs whatever debian-packages.txt lists and
# dpkg does not have yet; a second run only asks dpkg (well under a second).
set -Eeuo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
say() { echo "tribench setup: $*"; }

mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$HERE/debian-packages.txt")
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # A package's postinst may start its daemon (openssh-server starts sshd): a
  # policy-rc.d refusing every start keeps the install from leaving one running.
  # One already there (as in Docker images) is left as it is; ours goes at exit.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# tribench setup: no daemon starts while packages install\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  timeout 600 apt-get -qq update
  timeout 1800 apt-get -qq install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
say "Debian packages present: ${wanted[*]}"
