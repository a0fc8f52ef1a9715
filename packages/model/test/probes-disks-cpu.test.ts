// The disk and CPU facts found by defining probes on libvirtd 9.0 (the h13-<name> probes of
// fixtures/preview/probes/disks-cpu.xml; conf/domain_conf.c, storage_source_conf.c, cpu_conf.c, numa_conf.c of libvirt
// 9.0): model's tables say them so.
import { describe, expect, it } from 'vitest'
import { attributeOrder, attributeReadProblem, attributeReads, diskSourceChildrenUnwritten, emptyUnwritten, inAttributeOrder, networkDiskDefaultPorts, numaCacheAssociativities, numaCacheLineModulus, numaCachePolicies } from '../src/index.ts'

const read = (path: string, attribute: string) => attributeReads.get(path)!.find((r) => r[0] === attribute)!

describe('disks', () => {
  it("a network protocol's default port: VxHS's 9999, none for RBD and NFS (virStorageSourceNetworkDefaultPort; h13-vxhs)", () => {
    expect(networkDiskDefaultPorts.vxhs).toBe('9999')
    expect(networkDiskDefaultPorts.nbd).toBe('10809')
    expect(Object.hasOwn(networkDiskDefaultPorts, 'rbd')).toBe(false)
    expect(Object.hasOwn(networkDiskDefaultPorts, 'nfs')).toBe(false)
  })

  it("what virDomainDiskSourceFormat leaves out by source type: a network source's labels, a volume's auth (h13-net-seclabel, h13-volume-auth)", () => {
    expect(diskSourceChildrenUnwritten.network).toEqual(['seclabel'])
    expect(diskSourceChildrenUnwritten.volume).toEqual(['auth'])
    expect(diskSourceChildrenUnwritten.file).toBeUndefined()
  })

  it("a host's attributes in the formatter's order: name, port, transport, socket (h13-nbd-rdma)", () => {
    const order = attributeOrder('disk', 'source', 'host')!
    expect(Object.keys(inAttributeOrder({ transport: 'rdma', name: 'h', port: '1' }, order))).toEqual(['name', 'port', 'transport'])
    expect(Object.keys(inAttributeOrder({ socket: '/s', transport: 'unix' }, order))).toEqual(['transport', 'socket'])
  })

  it("an <auth>'s type before its user name (virStorageAuthDefFormat; h13-auth-order-attrs)", () => {
    for (const [g, p] of [['devices', 'disk'], ['disk', 'source'], ['backingStore', 'source'], ['hostdev', 'source']] as const) {
      expect(Object.keys(inAttributeOrder({ username: 'u', type: 'chap' }, attributeOrder(g, p, 'auth')!))).toEqual(['type', 'username'])
    }
  })

  it("an HTTPS or FTPS <ssl verify> is a yes/no, a LUKS cipher's size a required uint, a transient's shareBacking written when yes (h13-https-ssl-bad, h13-enc-cipher-nosize, h13-transient-sb-no)", () => {
    const verify = read('devices/disk/source/ssl', 'verify')
    expect(attributeReadProblem('off', verify, 'ssl')).toBe("Invalid value for attribute 'verify' in element 'ssl': 'off'.")
    expect(verify[2]!.when).toEqual({ of: 'parent', attribute: 'protocol', values: ['https', 'ftps'] })
    const size = read('devices/disk/source/encryption/cipher', 'size')
    expect(attributeReadProblem(undefined, size, 'cipher')).toBe("Missing required attribute 'size' in element 'cipher'")
    expect(size[2]!.when?.values).toEqual(['luks'])
    expect(read('devices/disk/transient', 'shareBacking')[2]!.falseUnwritten).toBe(true)
  })

  it("an NVMe source's PCI address is written whole, 0 where not given (virPCIDeviceAddressFormat; h13-nvme-addr-short)", () => {
    expect(read('devices/disk/source/address', 'domain')[2]!.absentWrittenAs).toBe('0x0000')
    expect(read('devices/disk/source/address', 'function')[2]!.absentWrittenAs).toBe('0x0')
  })

  it("an empty <iotune> and an empty <interconnects> are not written (h13-iot-empty, h13-ic-empty)", () => {
    expect(emptyUnwritten.has('devices/disk/iotune')).toBe(true)
    expect(emptyUnwritten.has('cpu/numa/interconnects')).toBe(true)
  })
})

describe('the guest CPU and NUMA', () => {
  it("a model's fallback before its vendor_id (virCPUDefFormatBuf; h13-cpu-vendorid-ok)", () => {
    expect(Object.keys(inAttributeOrder({ vendor_id: 'GenuineIntel', fallback: 'allow' }, attributeOrder('domain', 'cpu', 'model')!))).toEqual(['fallback', 'vendor_id'])
  })

  it("a NUMA cache's associativities and policies, `none` first (virNumaCacheAssociativity, virNumaCachePolicy)", () => {
    expect(numaCacheAssociativities).toEqual(['none', 'direct', 'full'])
    expect(numaCachePolicies).toEqual(['none', 'writeback', 'writethrough'])
  })

  it("a NUMA cache's line size is kept in 32 bits (virNumaCache's unsigned int line; h47-k-linebig, h47-k2-line-2p32)", () => {
    expect((2n ** 64n - 1n) % numaCacheLineModulus).toBe(4294967295n)
    expect((2n ** 32n) % numaCacheLineModulus).toBe(0n)
  })
})
