#!/usr/bin/env bash
# Builds the tiny aarch64 guest (issue 22): Debian's arm64 kernel and busybox-static (downloaded as
# .debs with a private apt state for arm64, unpacked, nothing installed and the host's apt untouched)
# and a busybox initramfs whose /init loads the virtio modules, prints VIRTUNED-GUEST-READY on the
# PL011 console (ttyAMA0) and waits. Booted directly (<kernel>, <initrd>) on the virt board under TCG.
# Output: $GUEST_DIR/vmlinuz and $GUEST_DIR/initrd.img (default tools/libvirt-sandbox/.guest-arm64).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${GUEST_DIR:-$here/.guest-arm64}"
mkdir -p "$out"
if [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.img" ]; then echo "guest-arm64: $out (already built)"; exit 0; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# apt for arm64 with its own lists, cache and (empty) dpkg status: the host's apt is neither read nor changed.
mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial"
touch "$work/apt/status"
apt_opts=(-o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o Dir::State::Lists="$work/apt/lists" -o Dir::State::status="$work/apt/status" -o Dir::Cache="$work/apt/cache" -o Debug::NoLocking=1)
apt-get "${apt_opts[@]}" update -qq >/dev/null 2>&1 || { echo "build-guest-arm64: apt-get update (arm64 lists) failed" >&2; exit 1; }
kernel="$(apt-cache "${apt_opts[@]}" search --names-only '^linux-image-6\.1\.0-[0-9]+-arm64$' | awk '{print $1}' | sort -t- -k4 -n | tail -1)"
[ -n "$kernel" ] || { echo "build-guest-arm64: no linux-image-6.1.0-N-arm64 package found" >&2; exit 1; }
(cd "$work" && apt-get "${apt_opts[@]}" download "$kernel" busybox-static >/dev/null 2>&1) || { echo "build-guest-arm64: apt-get download $kernel busybox-static failed" >&2; exit 1; }
dpkg -x "$work"/linux-image-*.deb "$work/kernel"
dpkg -x "$work"/busybox-static_*.deb "$work/busybox"
cp "$work"/kernel/boot/vmlinuz-* "$out/vmlinuz"
root="$work/initramfs"
mkdir -p "$root"/{bin,proc,sys,dev,lib/modules}
cp "$work/busybox/bin/busybox" "$root/bin/busybox"
for tool in sh mount echo sleep insmod cat ls; do ln -s busybox "$root/bin/$tool"; done
modules="$(ls -d "$work"/kernel/lib/modules/*)"
# virtio over PCI (the virt board's PCIe root ports; pciehp is built in) and the block and net drivers.
mods="virtio virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_blk virtio_net"
for m in $mods; do
  f="$(find "$modules" -name "$m.ko*" | head -1)"
  [ -n "$f" ] && cp "$f" "$root/lib/modules/"
done
# Debian compresses modules with xz: the busybox insmod of bookworm loads .ko only, so unpack them here.
for f in "$root"/lib/modules/*.ko.xz; do [ -e "$f" ] && xz -d "$f"; done
cat > "$root/init" <<INIT
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $mods; do
  for f in /lib/modules/\$m.ko*; do [ -e "\$f" ] && insmod "\$f" 2>/dev/null; done
done
echo VIRTUNED-GUEST-READY
while true; do sleep 3600; done
INIT
chmod +x "$root/init"
(cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -9) > "$out/initrd.img"
echo "guest-arm64: $out ($kernel)"
