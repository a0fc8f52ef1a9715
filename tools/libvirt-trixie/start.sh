#!/usr/bin/env bash
# Starts libvirt 11.3's libvirtd in the chroot install.sh made (QEMU driver, TCG guests, guests as root, no security
# driver — as the sandbox's qemu.conf). It listens on $root/run/libvirt/libvirt-sock only:
#   virsh -c "qemu:///system?socket=$root/run/libvirt/libvirt-sock" ...
# and the live tools take VIRTUNED_LIVE_ROOT=$root (tools/preview-oracle.ts). Idempotent; stop.sh stops it.
set -euo pipefail
root="${VIRTUNED_TRIXIE_ROOT:-/opt/virtuned/libvirt-trixie}"
[ -x "$root/usr/sbin/libvirtd" ] || { echo "start: no libvirtd in $root (run tools/libvirt-trixie/install.sh)" >&2; exit 1; }
uri="qemu:///system?socket=$root/run/libvirt/libvirt-sock"
answers() { chroot "$root" virsh -c qemu:///system version >/dev/null 2>&1; }
"$(cd "$(dirname "$0")" && pwd)/mounts.sh" up "$root"
if answers; then echo "start: libvirtd 11.3 already up ($uri)"; exit 0; fi
mkdir -p "$root/run/libvirt" "$root/var/log/libvirt"
cat > "$root/etc/libvirt/qemu.conf" <<CONF
# Written by virtuned's tools/libvirt-trixie/start.sh.
user = "root"
group = "root"
security_driver = "none"
CONF
cat > "$root/etc/libvirt/libvirtd-virtuned.conf" <<CONF
auth_unix_rw = "none"
auth_unix_ro = "none"
unix_sock_rw_perms = "0770"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
CONF
chroot "$root" /usr/sbin/libvirtd --config /etc/libvirt/libvirtd-virtuned.conf -d --pid-file /run/libvirtd-virtuned.pid
for _ in $(seq 1 60); do answers && { echo "start: libvirtd 11.3 up ($uri)"; exit 0; }; sleep 0.5; done
echo "start: libvirtd 11.3 did not answer (see $root/var/log/libvirt/libvirtd.log)" >&2
exit 1
