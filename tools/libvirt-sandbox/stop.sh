#!/usr/bin/env bash
# Leaves the sandbox: drops this caller's holder (see start.sh). When no live holder is left, removes
# the test domains (names starting vt-test-) and stops the libvirtd and virtlogd that start.sh started
# (by their pid files; daemons it found already running are left alone), restoring qemu.conf.
# `stop.sh --force` ignores the other holders.
set -uo pipefail
dir="${VIRTUNED_SANDBOX_DIR:-/run/virtuned-sandbox}"
mkdir -p "$dir/holders"
exec 9>"$dir/lock"
flock -w 120 9 || { echo "stop: could not take $dir/lock within 120 s" >&2; exit 1; }
holder="${VIRTUNED_SANDBOX_HOLDER:-$PPID}"
mine="$(ls "$dir/holders" | grep -m1 "^$holder\." || true)"
[ -n "$mine" ] && rm -f "$dir/holders/$mine"
for f in "$dir"/holders/*; do
  [ -e "$f" ] || continue
  pid="${f##*/}"; pid="${pid%%.*}"
  kill -0 "$pid" 2>/dev/null || rm -f "$f"
done
if [ "${1:-}" != "--force" ] && [ -n "$(ls "$dir/holders")" ]; then
  echo "stop: still used by $(ls "$dir/holders" | sed 's/\..*//' | sort -u | tr '\n' ' ')— left running"
  exit 0
fi
rm -f "$dir"/holders/*
if virsh -c qemu:///system version >/dev/null 2>&1; then
  for d in $(virsh -c qemu:///system list --all --name | grep '^vt-test-' || true); do
    virsh -c qemu:///system destroy "$d" >/dev/null 2>&1
    virsh -c qemu:///system undefine "$d" --nvram >/dev/null 2>&1 || virsh -c qemu:///system undefine "$d" >/dev/null 2>&1
  done
fi
# sshd.sh returns once the sshd is gone, so a start.sh right after finds its port free.
[ -f "$dir/owned-sshd" ] && "$(cd "$(dirname "$0")" && pwd)/sshd.sh" stop "$dir"
if [ ! -f "$dir/owned" ]; then
  echo "stop: libvirtd was not started by the sandbox; left running"
  exit 0
fi
stop_pid() { # pid file
  [ -f "$1" ] || return 0
  local pid; pid="$(cat "$1")"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null
  # gone before we return: a start.sh right after must find the socket and the TLS port free
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
}
stop_pid "$dir/libvirtd.pid"
[ -f "$dir/owned-virtlogd" ] && stop_pid "$dir/virtlogd.pid"
rm -f "$dir/owned" "$dir/owned-virtlogd"
[ -f /etc/libvirt/qemu.conf.virtuned-orig ] && mv /etc/libvirt/qemu.conf.virtuned-orig /etc/libvirt/qemu.conf
echo "stop: sandbox stopped"
exit 0
