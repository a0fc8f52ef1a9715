#!/usr/bin/env bash
# Stops the chroot's libvirtd (start.sh) and unmounts /proc, /sys and /dev there.
set -uo pipefail
root="${VIRTUNED_TRIXIE_ROOT:-/opt/virtuned/libvirt-trixie}"
pidfile="$root/run/libvirtd-virtuned.pid"
if [ -f "$pidfile" ]; then
  pid="$(cat "$pidfile")"
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null
  rm -f "$pidfile"
fi
"$(cd "$(dirname "$0")" && pwd)/mounts.sh" down "$root"
echo "stop: libvirtd 11.3 stopped"
