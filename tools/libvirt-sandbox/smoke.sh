#!/usr/bin/env bash
# End-to-end check of the sandbox: boot the tiny guest on q35 (TCG), hot-plug a virtio disk and NIC,
# detach both by alias and see them go; then show that a q35 guest without a spare root port refuses
# a hot-plugged virtio disk. Prints the time of each step. Root; starts and stops the sandbox.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${VIRTUNED_SANDBOX_DIR:-/run/virtuned-sandbox}"
guest="${GUEST_DIR:-$here/.guest}"
c="virsh -c qemu:///system"
now() { date +%s.%N; }
since() { printf '%.1f s' "$(echo "$(now) - $1" | bc)"; }
"$here/build-guest.sh" >/dev/null
"$here/start.sh"
trap '"$here/stop.sh" >/dev/null' EXIT

domain() { # name ports log
  sed -e "s|@NAME@|$1|" -e "s|@GUEST@|$guest|g" -e "s|@LOG@|$3|" -e "s|@PORTS@|$2|" "$here/guest-template.xml"
}
ports=""
for i in 1 2 3 4; do ports="$ports<controller type='pci' index='$i' model='pcie-root-port'/>"; done
log="$dir/vt-test-smoke.log"; rm -f "$log"
domain vt-test-smoke "$ports" "$log" > "$dir/smoke.xml"
t=$(now); $c define "$dir/smoke.xml" --validate >/dev/null; $c start vt-test-smoke >/dev/null
until grep -q VIRTUNED-GUEST-READY "$log" 2>/dev/null; do
  [ "$(echo "$(now) - $t > 90" | bc)" = 1 ] && { echo "smoke: guest not ready after 90 s" >&2; tail -5 "$log" >&2; exit 1; }
  sleep 0.2
done
echo "boot to ready line: $(since "$t")"

qemu-img create -q -f qcow2 "$dir/disk1.qcow2" 64M
cat > "$dir/disk.xml" <<XML
<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$dir/disk1.qcow2'/><target dev='vdb' bus='virtio'/><alias name='ua-disk1'/></disk>
XML
cat > "$dir/nic.xml" <<XML
<interface type='user'><model type='virtio'/><alias name='ua-nic1'/></interface>
XML
t=$(now); $c attach-device vt-test-smoke "$dir/disk.xml" --live >/dev/null; $c attach-device vt-test-smoke "$dir/nic.xml" --live >/dev/null
echo "attach disk + NIC: $(since "$t")"
live="$($c dumpxml vt-test-smoke)"
grep -q "ua-disk1" <<<"$live" && grep -q "ua-nic1" <<<"$live" || { echo "smoke: attached devices not in the live XML" >&2; exit 1; }
for alias in ua-disk1 ua-nic1; do
  t=$(now); $c detach-device-alias vt-test-smoke "$alias" --live >/dev/null
  until ! $c dumpxml vt-test-smoke | grep -q "$alias"; do
    [ "$(echo "$(now) - $t > 30" | bc)" = 1 ] && { echo "smoke: $alias still there after 30 s" >&2; exit 1; }
    sleep 0.1
  done
  echo "detach $alias: $(since "$t")"
done
$c destroy vt-test-smoke >/dev/null; $c undefine vt-test-smoke >/dev/null

# No spare root port: given none, libvirt adds one port for its USB controller and reserves one more
# for hot-plug. The first hot-plugged virtio disk takes that one; the second is refused.
log="$dir/vt-test-full.log"; rm -f "$log"
domain vt-test-full "" "$log" > "$dir/full.xml"
$c define "$dir/full.xml" >/dev/null; $c start vt-test-full >/dev/null
qemu-img create -q -f qcow2 "$dir/disk2.qcow2" 64M
sed -e "s|<alias name='ua-disk1'/>|<alias name='ua-disk2'/>|" "$dir/disk.xml" > "$dir/disk2.xml"
sed -e "s|disk1.qcow2|disk2.qcow2|" -e "s|dev='vdb'|dev='vdc'|" -e "s|<alias name='ua-disk1'/>|<alias name='ua-disk3'/>|" "$dir/disk.xml" > "$dir/disk3.xml"
$c attach-device vt-test-full "$dir/disk2.xml" --live >/dev/null
if err="$($c attach-device vt-test-full "$dir/disk3.xml" --live 2>&1)"; then echo "smoke: attach without a spare port succeeded" >&2; exit 1; fi
echo "no spare port: $(grep -o 'error: .*' <<<"$err" | tail -1)"
echo "smoke: ok"
