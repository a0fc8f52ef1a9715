#!/usr/bin/env bash
# Builds the tiny bootable guest: a Debian kernel (downloaded as a .deb, unpacked, not installed) and a
# busybox initramfs whose /init prints VIRTUNED-GUEST-READY on the serial console and waits.
# Output: $GUEST_DIR/vmlinuz and $GUEST_DIR/initrd.img (default tools/libvirt-sandbox/.guest).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${GUEST_DIR:-$here/.guest}"
mkdir -p "$out"
if [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.img" ]; then echo "guest: $out (already built)"; exit 0; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The newest 6.1 kernel image the archive has (the number changes with point releases).
find_kernel() { apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' | awk '{print $1}' | sort -t- -k4 -n | tail -1; }
kernel="$(find_kernel)"
if [ -z "$kernel" ]; then mkdir -p /var/lib/apt/lists/partial; apt-get update -qq >/dev/null 2>&1 || true; kernel="$(find_kernel)"; fi
[ -n "$kernel" ] || { echo "build-guest: no linux-image-6.1.0-N-amd64 package found (run apt-get update)" >&2; exit 1; }
(cd "$work" && apt-get download "$kernel" >/dev/null 2>&1) || { echo "build-guest: apt-get download $kernel failed" >&2; exit 1; }
dpkg -x "$work"/linux-image-*.deb "$work/kernel"
cp "$work"/kernel/boot/vmlinuz-* "$out/vmlinuz"
# The initramfs: busybox, /init, and the virtio modules the guest needs to see hot-plugged devices.
root="$work/initramfs"
mkdir -p "$root"/{bin,proc,sys,dev,lib/modules}
cp /bin/busybox "$root/bin/busybox"
for tool in sh mount echo sleep insmod cat ls; do ln -s busybox "$root/bin/$tool"; done
modules="$(ls -d "$work"/kernel/lib/modules/*)"
for m in virtio virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_blk virtio_net; do
  f="$(find "$modules" -name "$m.ko*" | head -1)"
  [ -n "$f" ] && cp "$f" "$root/lib/modules/"
done
cat > "$root/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in virtio virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover net_failover virtio_blk virtio_net; do
  for f in /lib/modules/$m.ko*; do [ -e "$f" ] && insmod "$f" 2>/dev/null; done
done
echo VIRTUNED-GUEST-READY
while true; do sleep 3600; done
INIT
chmod +x "$root/init"
(cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -9) > "$out/initrd.img"
echo "guest: $out ($kernel)"
