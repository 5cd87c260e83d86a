#!/usr/bin/env bash
# Run a command inside a private D-Bus session bus with a throwaway, unlocked
# gnome-keyring (Secret Service), e.g. for tests on a headless box or in CI:
#
#   bash scripts/keyring-session.sh cargo test --test real_keyring
#
# * Installs gnome-keyring + dbus-x11 with apt-get when they are missing
#   (as root, or via passwordless sudo); otherwise says what to install, exit 1.
# * The keyring lives in a fresh temporary directory (XDG_DATA_HOME and
#   XDG_RUNTIME_DIR are overridden for the daemon only), so a real user's
#   keyring is never read or touched, and concurrent runs do not interfere.
#   HOME is not changed (cargo/rustup live there).
# * The login keyring is created and unlocked with a random password; no TTY
#   is needed. Everything is removed when the command exits.
# * Exit status is the command's.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

PKGS=(gnome-keyring dbus-x11)
NEEDED_CMDS=(gnome-keyring-daemon dbus-run-session dbus-daemon dbus-send
    dbus-update-activation-environment)

missing_cmds() {
    local c
    for c in "${NEEDED_CMDS[@]}"; do
        command -v "$c" >/dev/null 2>&1 || return 0
    done
    return 1
}

# shellcheck source=lib/apt.sh
. "$(dirname "$0")/lib/apt.sh"

if missing_cmds; then
    apt_install keyring-session "${PKGS[@]}"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/smsctl-keyring.XXXXXXXX")"
trap 'rm -rf "$tmp"' EXIT
mkdir -m 700 "$tmp/data" "$tmp/run"
# Throwaway password for the throwaway login keyring.
pw="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"

status=0
# The inner script is single-quoted on purpose (expanded by the inner bash).
# shellcheck disable=SC2016
_SMSCTL_KR_DIR="$tmp" _SMSCTL_KR_PW="$pw" dbus-run-session -- bash -c '
    set -euo pipefail
    kr_data="$_SMSCTL_KR_DIR/data" kr_run="$_SMSCTL_KR_DIR/run"
    # If anything makes the bus auto-activate another gnome-keyring-daemon
    # (org.freedesktop.secrets.service), it must also use the throwaway dirs.
    dbus-update-activation-environment XDG_DATA_HOME="$kr_data" XDG_RUNTIME_DIR="$kr_run"
    # --unlock with no existing keyring creates "login" (the default
    # collection) with this password and leaves it unlocked. The daemon exits
    # when this bus goes away.
    printf "%s" "$_SMSCTL_KR_PW" |
        XDG_DATA_HOME="$kr_data" XDG_RUNTIME_DIR="$kr_run" \
        gnome-keyring-daemon --daemonize --unlock --components=secrets >/dev/null
    unset _SMSCTL_KR_PW _SMSCTL_KR_DIR kr_data kr_run
    # --daemonize may return before the daemon owns its bus name: wait for it,
    # or the first client would race an auto-activated second daemon.
    for _ in $(seq 200); do
        owned="$(dbus-send --session --print-reply --dest=org.freedesktop.DBus \
            /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
            string:org.freedesktop.secrets 2>/dev/null || true)"
        case "$owned" in *"boolean true"*) exec "$@" ;; esac
        sleep 0.05
    done
    echo "keyring-session: gnome-keyring-daemon did not register org.freedesktop.secrets within 10s" >&2
    exit 1
' keyring-session "$@" || status=$?
exit "$status"
