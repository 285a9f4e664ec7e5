#!/usr/bin/env bash
# A private PulseAudio server with null sinks, for audio tests without a sound card.
#
#   tools/pulse/pulse.sh start DIR [SINK...]   start it (default sinks: mic spk), wait
#                                              until it answers, print its environment
#   tools/pulse/pulse.sh stop DIR              stop it and wait until it is gone
#   tools/pulse/pulse.sh env DIR               print the environment again
#
# Each SINK is a null sink at 8000 Hz, mono; SINK.monitor is its source. Route one
# process with PULSE_SERVER (printed), PULSE_SINK=spk and PULSE_SOURCE=mic.monitor;
# feed a microphone with `pacat -d mic`, record a speaker with `parec -d spk.monitor`.
# Everything (socket, pid, log, HOME, XDG_RUNTIME_DIR) stays inside DIR.
set -euo pipefail

usage() { echo "usage: $0 start DIR [SINK...] | stop DIR | env DIR" >&2; exit 64; }

[ $# -ge 2 ] || usage
cmd=$1
dir=$2
shift 2

print_env() {
  echo "PULSE_SERVER=unix:$dir/native"
  echo "PULSE_RUNTIME_PATH=$dir"
}

case "$cmd" in
  start)
    command -v pulseaudio >/dev/null || { echo "pulse.sh: pulseaudio is not installed (Debian: pulseaudio pulseaudio-utils)" >&2; exit 69; }
    command -v pactl >/dev/null || { echo "pulse.sh: pactl is not installed (Debian: pulseaudio-utils)" >&2; exit 69; }
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ -f "$dir/pulse.pid" ] && kill -0 "$(cat "$dir/pulse.pid")" 2>/dev/null; then
      echo "pulse.sh: already running in $dir (pid $(cat "$dir/pulse.pid"))" >&2
      exit 1
    fi
    [ $# -gt 0 ] || set -- mic spk
    args=(-n --daemonize=no --exit-idle-time=-1 --use-pid-file=no --disallow-exit
      -L "module-native-protocol-unix auth-anonymous=1 socket=$dir/native")
    for sink in "$@"; do
      case "$sink" in *[!A-Za-z0-9_.-]*|'') echo "pulse.sh: bad sink name '$sink'" >&2; exit 64;; esac
      args+=(-L "module-null-sink sink_name=$sink rate=8000 channels=1")
    done
    mkdir -p "$dir/home"
    HOME="$dir/home" XDG_RUNTIME_DIR="$dir" XDG_CONFIG_HOME="$dir/home" \
      setsid pulseaudio "${args[@]}" >"$dir/pulse.log" 2>&1 </dev/null &
    echo $! >"$dir/pulse.pid"
    for _ in $(seq 1 100); do
      if PULSE_SERVER="unix:$dir/native" HOME="$dir/home" pactl info >/dev/null 2>&1; then
        sinks=$(PULSE_SERVER="unix:$dir/native" HOME="$dir/home" pactl list short sinks | cut -f2)
        for sink in "$@"; do
          grep -qx "$sink" <<<"$sinks" || { echo "pulse.sh: sink $sink missing" >&2; "$0" stop "$dir"; exit 1; }
        done
        print_env
        exit 0
      fi
      if ! kill -0 "$(cat "$dir/pulse.pid")" 2>/dev/null; then break; fi
      sleep 0.05
    done
    echo "pulse.sh: pulseaudio did not come up in $dir; its log:" >&2
    cat "$dir/pulse.log" >&2 || true
    "$0" stop "$dir" || true
    exit 1
    ;;
  stop)
    [ -f "$dir/pulse.pid" ] || exit 0
    pid=$(cat "$dir/pulse.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
      if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    fi
    rm -f "$dir/pulse.pid"
    ;;
  env)
    dir=$(cd "$dir" && pwd)
    print_env
    ;;
  *) usage ;;
esac
