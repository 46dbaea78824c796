#!/bin/sh
# Keeps tug's components running where systemd is absent (written by `tug update cluster`).
# (dash's kill takes a process group as -PID, without "--".)
# One restart loop per component; the loop leads its own process group, its pid is in
# ${paths.run}/NAME.pid and the component's output goes to ${paths.log}/NAME.log.
#   supervise start|stop|restart|status NAME
set -u
run=${sh(paths.run)}
log=${sh(paths.log)}
bin=${sh(paths.bin)}

alive() {
    [ -f "$run/$1.pid" ] && kill -0 "-$(cat "$run/$1.pid")" 2>/dev/null
}

start() {
    alive "$1" && return 0
    mkdir -p "$run" "$log"
    setsid sh -c '
        echo $$ > "$1/$2.pid"
        while :; do
            "$3/tug-$2" >> "$4/$2.log" 2>&1
            echo "supervise: tug-$2 exited with status $?; restarting it in 2s" >> "$4/$2.log"
            sleep 2
        done' supervise "$run" "$1" "$bin" "$log" </dev/null >/dev/null 2>&1 &
    i=0
    while [ $i -lt 50 ] && ! alive "$1"; do sleep 0.1; i=$((i + 1)); done
    alive "$1"
}

stop() {
    if ! alive "$1"; then rm -f "$run/$1.pid"; return 0; fi
    group=$(cat "$run/$1.pid")
    kill -TERM "-$group" 2>/dev/null
    i=0
    while [ $i -lt 100 ] && kill -0 "-$group" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    kill -KILL "-$group" 2>/dev/null
    rm -f "$run/$1.pid"
}

case "${r"${1:-}"}" in
    start) start "$2" ;;
    stop) stop "$2" ;;
    restart) stop "$2"; start "$2" ;;
    status) alive "$2" ;;
    *) echo "usage: supervise start|stop|restart|status NAME" >&2; exit 2 ;;
esac
