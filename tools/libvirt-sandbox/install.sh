#!/usr/bin/env bash
# Installs what a private libvirtd + QEMU (TCG) needs, then builds the tiny guests (x86_64, aarch64). Root; idempotent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# ovmf and swtpm: without them libvirtd reports no EFI firmware and no emulated TPM, and the
# defaults composed for this host (goldens fixtures/defaults/*@libvirtd-tcg.xml) lose UEFI, secure boot and TPM.
# openssh-server, netcat-openbsd and openssl: the remote parts (sshd for qemu+ssh, nc for proxy=netcat, the TLS certificates).
# qemu-system-arm (aarch64), qemu-system-ppc (ppc64le), qemu-system-misc (s390x) and qemu-efi-aarch64 (AAVMF):
# the other arches' domain capabilities and TCG guests (fixtures/defaults/arch, issue 22).
packages=(libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 qemu-utils busybox-static libvirt0 ovmf swtpm swtpm-tools openssh-server netcat-openbsd openssl
  qemu-system-arm qemu-system-ppc qemu-system-misc qemu-efi-aarch64)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  mkdir -p /var/lib/apt/lists/partial /var/cache/apt/archives/partial
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
"$here/build-guest.sh"
# The aarch64 guest (arm64 kernel + busybox-static, fetched with a private apt state): cli/test/arch-boot.e2e.test.ts.
"$here/build-guest-arm64.sh"
