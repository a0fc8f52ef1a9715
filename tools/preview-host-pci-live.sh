#!/usr/bin/env bash
# preview's host PCI devices against the sandbox's libvirtd 9.0: the domains of fixtures/preview/host-pci defined on a
# host whose PCI devices this script makes up — a fake /sys/bus/pci/devices bind-mounted over the real one for the
# run (IOMMU groups, PCI Express or conventional configs, vendor and device IDs), which libvirtd reads at define and
# `preview-live-files` reads for preview (tools/preview-oracle.ts sandboxHostPci). Each domain must come out the same.
#   sudo bash tools/preview-host-pci-live.sh        (root, the sandbox running: tools/libvirt-sandbox/start.sh)
# Not part of `npm test`: the mount changes the host's PCI devices for every process while it lasts.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fake=$(mktemp -d /tmp/virtuned-fake-pci.XXXXXX)
mounted=''
cleanup() { if [ -n "$mounted" ]; then umount /sys/bus/pci/devices; fi; rm -rf "$fake"; }
trap cleanup EXIT
# address, IOMMU group, config bytes: 4096 zeros has no PCI Express capability but is not 256 long, which libvirt
# takes as PCIe (virPCIDeviceInit); 256 zeros is conventional PCI
while read -r address group size; do
  mkdir -p "$fake/devices/$address" "$fake/groups/$group"
  ln -s "$fake/groups/$group" "$fake/devices/$address/iommu_group"
  head -c "$size" /dev/zero > "$fake/devices/$address/config"
  echo 0x8086 > "$fake/devices/$address/vendor"; echo 0x10c9 > "$fake/devices/$address/device"
done <<'DEVICES'
0001:01:00.0 5 4096
0001:01:00.1 5 4096
0005:90:01.0 7 256
0000:00:03.0 9 4096
0000:00:04.0 10 256
DEVICES
mount --bind "$fake/devices" /sys/bus/pci/devices
mounted=1
cd "$root"
npx tsx --conditions=@virtuned/source tools/preview-live-files.ts fixtures/preview/host-pci --arch ppc64,x86_64 --any-machine "$@"
