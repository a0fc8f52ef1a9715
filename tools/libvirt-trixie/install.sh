#!/usr/bin/env bash
# Installs libvirt 11.3 — Debian trixie's libvirtd, with its QEMU 10.0 for every arch the sandbox has — in a chroot, so
# that preview's 11.3 behaviour can be checked on a real daemon beside the sandbox's 9.0 (tools/libvirt-sandbox).
# Root; idempotent; fetches from Debian's archive only (debootstrap, then apt-get in the chroot). The root is
# $VIRTUNED_TRIXIE_ROOT (default /opt/virtuned/libvirt-trixie); start.sh runs the daemon there.
set -euo pipefail
root="${VIRTUNED_TRIXIE_ROOT:-/opt/virtuned/libvirt-trixie}"
mirror="${VIRTUNED_TRIXIE_MIRROR:-http://deb.debian.org/debian}"
# The packages the sandbox has (tools/libvirt-sandbox/install.sh), in trixie's names: QEMU's SPICE support is a module
# there, s390x and RISC-V emulators packages of their own.
packages=(libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 qemu-system-arm qemu-system-ppc qemu-system-s390x
  qemu-system-misc qemu-system-riscv qemu-system-modules-spice qemu-utils ovmf qemu-efi-aarch64 swtpm swtpm-tools)
here="$(cd "$(dirname "$0")" && pwd)"
# (apt's lists and archives folders may be missing on a trimmed machine: apt-get update then fails with exit code 100)
mkdir -p /var/lib/apt/lists/partial /var/cache/apt/archives/partial
command -v debootstrap >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }
# A chroot is reused only when whole: its apt and its dpkg database. A root left with /usr but without /var/lib (seen:
# a machine trimmed between sessions) is made again — after unmounting what start.sh mounted, and never crossing into
# another file system, so that /dev, /sys and /proc of the host are not touched.
if [ ! -x "$root/usr/bin/apt-get" ] || [ ! -s "$root/var/lib/dpkg/status" ]; then
  [ -e "$root" ] && echo "install: $root is not a whole trixie root; making it again" >&2
  "$here/mounts.sh" down "$root"
  if grep -q " $root/" /proc/mounts; then echo "install: something is still mounted below $root; not removing it" >&2; exit 1; fi
  rm -rf --one-file-system "$root"; mkdir -p "$(dirname "$root")"
  debootstrap --variant=minbase trixie "$root" "$mirror" >/dev/null
fi
mkdir -p "$root/var/lib/apt/lists/partial" "$root/var/cache/apt/archives/partial"
# no service starts in the chroot while installing
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"; chmod +x "$root/usr/sbin/policy-rc.d"
"$here/mounts.sh" up "$root"
missing=()
for p in "${packages[@]}"; do chroot "$root" dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  chroot "$root" apt-get update -qq
  chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
version="$(chroot "$root" dpkg-query -W -f '${Version}' libvirt-daemon)"
case "$version" in
  11.3.*) echo "install: libvirt $version in $root" ;;
  *) echo "install: trixie's libvirt-daemon is $version, not 11.3: preview reproduces 11.3 and 9.0 only" >&2; exit 1 ;;
esac
