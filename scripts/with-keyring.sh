#!/usr/bin/env bash
# Runs a command with a real OS keychain: a private D-Bus session bus and an unlocked
# gnome-keyring (Secret Service) whose files live in a throw-away folder. Used by `npm test` so
# keychain tests hit the real keychain, not a mock. Nothing outside the temp folder is touched.
set -euo pipefail
if [ -z "${CAIRN_KEYRING_SESSION:-}" ]; then
  exec dbus-run-session -- env CAIRN_KEYRING_SESSION=1 bash "$0" "$@"
fi
keyring_home=$(mktemp -d -t cairn-keyring.XXXXXX)
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME="$keyring_home/data" XDG_RUNTIME_DIR="$keyring_home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# The daemon prints VAR=value lines (GNOME_KEYRING_CONTROL…); export them for the command.
while IFS= read -r line; do
  [[ "$line" == *=* ]] && export "${line?}"
done < <(printf 'cairn-test-keyring' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)
"$@"
