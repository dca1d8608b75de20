#!/usr/bin/env bash
# Installs the Debian packages Cairn's build and tests need on a fresh machine:
#   libsecret-1-dev + pkg-config  build keytar (OS keychain binding)
#   gnome-keyring + dbus-x11      a Secret Service for the keychain tests
#   chromium                      browser tests (Playwright drives /usr/bin/chromium; never downloads one)
# Idempotent: does nothing when everything is already there. Needs root (or sudo).
set -euo pipefail
packages=(libsecret-1-dev pkg-config gnome-keyring dbus-x11 chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-os-deps: all present (${packages[*]})"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
retry() { # apt may find the dpkg lock held by an unattended upgrade: wait and retry
  for i in 1 2 3 4 5 6; do "$@" && return 0; echo "install-os-deps: retry $i: $*" >&2; sleep 10; done
  return 1
}
echo "install-os-deps: installing ${missing[*]}"
retry $SUDO apt-get update -q
retry $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
