#!/usr/bin/env bash
# Removes the sandbox's test domains (names starting vt-test-) and stops libvirtd and virtlogd.
set -uo pipefail
dir="${VIRTUNED_SANDBOX_DIR:-/run/virtuned-sandbox}"
if virsh -c qemu:///system version >/dev/null 2>&1; then
  for d in $(virsh -c qemu:///system list --all --name | grep '^vt-test-' || true); do
    virsh -c qemu:///system destroy "$d" >/dev/null 2>&1
    virsh -c qemu:///system undefine "$d" --nvram >/dev/null 2>&1 || virsh -c qemu:///system undefine "$d" >/dev/null 2>&1
  done
fi
[ -f "$dir/libvirtd.pid" ] && kill "$(cat "$dir/libvirtd.pid")" 2>/dev/null
pkill -x libvirtd 2>/dev/null
pkill -x virtlogd 2>/dev/null
for _ in $(seq 1 20); do pgrep -x libvirtd >/dev/null || break; sleep 0.25; done
[ -f /etc/libvirt/qemu.conf.virtuned-orig ] && mv /etc/libvirt/qemu.conf.virtuned-orig /etc/libvirt/qemu.conf
echo "stop: sandbox stopped"
exit 0
