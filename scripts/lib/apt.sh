# Sourced by the scripts that install what they need from Debian's packages.
#
#   apt_install WHO PKG...
#
# Installs PKG... with apt-get, as root or via passwordless sudo, trying the current
# package lists first and updating them only if that fails; waits up to 5 minutes for
# another apt's lock. Without apt-get, or without the rights, says what to run (prefixed
# with WHO) and exits 1.
apt_install() {
    local who=$1
    shift
    local -a sudo_cmd=()
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "$who: needs the Debian packages $* and there is no apt-get here; install them yourself" >&2
        exit 1
    fi
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo_cmd=(sudo -n)
        else
            echo "$who: missing packages; run as root:" >&2
            echo "  apt-get update && apt-get install -y --no-install-recommends $*" >&2
            exit 1
        fi
    fi
    local -a apt=("${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive
        apt-get -q -o DPkg::Lock::Timeout=300)
    echo "$who: installing $* ..." >&2
    if ! "${apt[@]}" install -y --no-install-recommends "$@" >&2; then
        "${apt[@]}" update >&2
        "${apt[@]}" install -y --no-install-recommends "$@" >&2
    fi
}
