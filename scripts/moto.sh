#!/usr/bin/env bash
# Start or stop a local moto server (AWS emulator) for wasec's evidence tests.
#
#   scripts/moto.sh install            create .venv/ with moto[server]==5.2.5
#   scripts/moto.sh start [PORT]       start on 127.0.0.1 (free port if none);
#                                      prints the endpoint URL on stdout
#   scripts/moto.sh start --watch PID  ... and stop it when process PID exits
#   scripts/moto.sh stop               stop the server started by `start`
#
# Environment: WASEC_MOTO_STATE (default .venv/moto-state) holds the pid and
# log files. Default AMIs are not loaded (their snapshots would look owned by
# the scanned account) and AWS managed IAM policies are (tests attach
# AdministratorAccess).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
state="${WASEC_MOTO_STATE:-$venv/moto-state}"
version="5.2.5"

install() {
    if [ -x "$venv/bin/moto_server" ] && "$venv/bin/python" -c "import moto,sys; sys.exit(moto.__version__ != '$version')" 2>/dev/null; then
        return 0
    fi
    echo "installing moto[server]==$version into $venv" >&2
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "moto[server]==$version" >&2
}

free_port() {
    "$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local port="" watch=""
    while [ $# -gt 0 ]; do
        case "$1" in
            --watch) watch="$2"; shift 2 ;;
            *) port="$1"; shift ;;
        esac
    done
    install
    [ -n "$port" ] || port="$(free_port)"
    mkdir -p "$state"
    MOTO_EC2_LOAD_DEFAULT_AMIS=false MOTO_IAM_LOAD_MANAGED_POLICIES=true \
        nohup "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$state/moto-$port.log" 2>&1 &
    local pid=$!
    echo "$pid" >"$state/moto-$port.pid"
    echo "$port" >"$state/last-port"
    if [ -n "$watch" ]; then
        # Stop moto when the process that asked for it (a test run) ends.
        nohup sh -c "while kill -0 $watch 2>/dev/null && kill -0 $pid 2>/dev/null; do sleep 1; done; kill $pid 2>/dev/null" >/dev/null 2>&1 &
    fi
    local url="http://127.0.0.1:$port"
    for _ in $(seq 1 150); do
        if curl -fsS -o /dev/null "$url/moto-api/" 2>/dev/null; then
            echo "$url"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "moto_server exited; log:" >&2
            cat "$state/moto-$port.log" >&2
            return 1
        fi
        sleep 0.2
    done
    echo "moto_server did not answer on $url within 30 s" >&2
    return 1
}

stop() {
    local port="${1:-$(cat "$state/last-port" 2>/dev/null || true)}"
    [ -n "$port" ] || { echo "no moto server recorded" >&2; return 0; }
    local pidfile="$state/moto-$port.pid"
    if [ -f "$pidfile" ]; then
        kill "$(cat "$pidfile")" 2>/dev/null || true
        rm -f "$pidfile"
    fi
}

cmd="${1:-}"
shift || true
case "$cmd" in
    install) install ;;
    start) start "$@" ;;
    stop) stop "$@" ;;
    *) sed -n '2,15p' "$0"; exit 2 ;;
esac
