#!/usr/bin/env bash
# mounts.sh up|down ROOT: /proc, /sys and /dev in the chroot (libvirtd probes QEMU, reads sysfs and /dev/kvm there).
set -euo pipefail
root="$2"
case "$1" in
  up)
    mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
    mountpoint -q "$root/sys" || mount --rbind /sys "$root/sys"
    mountpoint -q "$root/dev" || mount --rbind /dev "$root/dev"
    ;;
  down)
    for m in dev sys proc; do mountpoint -q "$root/$m" && umount -R "$root/$m" || true; done
    ;;
esac
