#!/usr/bin/env python3
# virtinst (Debian's virt-manager) building complete domains in-process, one per spec of the same
# distinct list virtuned composes (tools/bench/compose-specs.mjs): Guest + disks + NICs + the
# devices the spec's policies ask for, then set_defaults() and get_xml(), the work `virtuned new`
# does. Prints µs per domain as JSON.
# Usage: virtinst-compose.py URI SPECS.json COUNT IMAGE_DIR (IMAGE_DIR holds bench-0..3.qcow2)
import json, os, sys, time
sys.path.insert(0, '/usr/share/virt-manager')
import virtinst
from virtinst import cli

uri, specs_file, count, image_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cli.setupLogging('virtuned-bench', False, True, False)
conn = cli.getConnection(uri, conn=None)
with open(specs_file) as f:
    cases = json.load(f)

def size_kib(text):
    return int(text[:-3]) * 1024 * 1024  # 'NGiB'

def build(case):
    spec, policies = case['spec'], case['policies']
    guest = virtinst.Guest(conn)
    guest.name = spec['name']
    guest.set_os_name(case['os'])
    guest.memory = guest.currentMemory = size_kib(spec['memory'])
    guest.vcpus = spec['vcpus']
    for d, given in enumerate(spec['disks']):
        disk = virtinst.DeviceDisk(conn)
        disk.set_source_path(os.path.join(image_dir, 'bench-%d.qcow2' % d))
        disk.driver_type = 'qcow2'
        bus = given.get('bus') or ('virtio' if 'virtio' in policies else None)
        if bus:
            disk.bus = bus
        guest.add_device(disk)
    for given in spec['nics']:
        nic = virtinst.DeviceInterface(conn)
        nic.type = given['type']
        if given['type'] == 'network':
            nic.source = given['source']
        if 'virtio' in policies:
            nic.model = 'virtio'
        guest.add_device(nic)
    if 'spice' in policies or 'vnc' in policies:
        graphics = virtinst.DeviceGraphics(conn)
        graphics.type = 'spice' if 'spice' in policies else 'vnc'
        guest.add_device(graphics)
    else:
        guest.skip_default_graphics = True
    if 'tpm' in policies:
        tpm = virtinst.DeviceTpm(conn)
        tpm.type = 'emulator'
        tpm.model = 'tpm-crb'
        guest.add_device(tpm)
    if 'guest-agent' in policies:
        channel = virtinst.DeviceChannel(conn)
        channel.type = 'unix'
        channel.target_type = 'virtio'
        channel.target_name = 'org.qemu.guest_agent.0'
        guest.add_device(channel)
    if 'crash-dump' in policies:
        panic = virtinst.DevicePanic(conn)
        panic.model = 'isa'
        guest.add_device(panic)
    guest.set_defaults(None)
    return guest.get_xml()

# Warm caches (domcaps, osinfo for each of the specs' OSes) as a long-running app would have them,
# on 200 specs not timed: its steady state, as virtuned's side is measured at its own.
for case in cases[-200:]:
    build(case)
timed = cases[:count]
start = time.perf_counter()
for case in timed:
    build(case)
print(json.dumps({'distinct': (time.perf_counter() - start) / len(timed) * 1e6, 'count': len(timed)}))
