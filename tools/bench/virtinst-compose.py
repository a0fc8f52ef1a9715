#!/usr/bin/env python3
# virtinst (Debian's virt-manager) building a complete domain in-process: Guest + disk + NIC + SPICE,
# then set_defaults() and get_xml(), the same work `virtuned new` does. Prints µs per domain as JSON.
# Usage: virtinst-compose.py URI ITERATIONS IMAGE (an existing file)
import json, sys, time
sys.path.insert(0, '/usr/share/virt-manager')
import virtinst
from virtinst import cli

uri, iterations, image = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cli.setupLogging('virtuned-bench', False, True, False)
conn = cli.getConnection(uri, conn=None)

def build(os_name, memory_kib):
    guest = virtinst.Guest(conn)
    guest.name = 'bench-' + os_name
    guest.set_os_name(os_name)
    guest.memory = guest.currentMemory = memory_kib
    guest.vcpus = 2
    disk = virtinst.DeviceDisk(conn)
    disk.set_source_path(image)
    disk.driver_type = 'qcow2'
    guest.add_device(disk)
    nic = virtinst.DeviceInterface(conn)
    nic.type = 'user'
    guest.add_device(nic)
    graphics = virtinst.DeviceGraphics(conn)
    graphics.type = 'spice'
    guest.add_device(graphics)
    guest.set_defaults(None)
    return guest.get_xml()

out = {}
for os_name, memory in (('win11', 4194304), ('debian11', 2097152)):
    build(os_name, memory)  # warm caches (domcaps, osinfo) as a long-running app would have them
    start = time.perf_counter()
    for _ in range(iterations):
        build(os_name, memory)
    out[os_name] = (time.perf_counter() - start) / iterations * 1e6
print(json.dumps(out))
