# Shared set-up for scripts/demo and scripts/test: sourced, not run.
# Installs missing Debian packages (when root or with sudo) and the project's virtualenv.

ensure_debian_packages() {
    local missing=()
    local pair binary package
    for pair in "$@"; do
        binary=${pair%%:*}
        package=${pair#*:}
        command -v "$binary" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
            echo "missing Debian packages: ${missing[*]} (install them, or run as root)" >&2
            return 1
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "missing packages: ${missing[*]} (no apt-get here: install them by hand)" >&2
        return 1
    fi
    echo "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_venv() {
    local extras=$1
    local stamp=.venv/.installed-$extras
    if [ ! -x .venv/bin/python ]; then
        python3 -m venv .venv
    fi
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        .venv/bin/python -m pip install -q --upgrade pip
        .venv/bin/python -m pip install -q -e ".[$extras]"
        touch "$stamp"
    fi
}

ensure_node_modules() {
    # Development tools from the npm registry, pinned by package-lock.json: eslint for the
    # browser's modules, axe-core for the browser tests.
    local stamp=node_modules/.installed
    if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
        npm ci --no-audit --no-fund --loglevel=error
        touch "$stamp"
    fi
}
