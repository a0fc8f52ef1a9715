// The order libvirt's formatter writes children in, whatever the order they were written in (model's
// formatterChildOrders, preview's orderDomain): the children each of these elements was missing an order for, written in
// reverse, and their near misses written in order. Each case was defined on the sandbox libvirtd 9.0 (the probes h37-…
// of fixtures/preview/probes/formatter-order.xml); the expected fragments are what the daemon printed.
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, x86Domain } from './_refusal.ts'

const q35 = (devices: string): string => x86Domain(devices, 'q35')
/** An x86_64 q35 domain with `settings` before `<os>` and `after` between `<os>` and `<devices>`. */
const withSettings = (settings: string, after = ''): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory>${settings}<os><type arch='x86_64' machine='q35'>hvm</type></os>${after}<devices/></domain>`
const s390 = capsXml({ arch: 's390x', flags: ['virtio-ccw'], machines: "<machine type='tcg' name='s390-ccw-virtio-9.9' alias='s390-ccw-virtio' default='yes' defaultCPU='qemu-s390x-cpu'/>" })
const s390Domain = (tail: string): string => `<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory><os><type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices/>${tail}</domain>`

describe("a TPM emulator's backend (virDomainTPMDefFormat)", () => {
  const tpm = (backend: string): string => q35(`<tpm model='tpm-crb'><backend type='emulator' version='2.0'>${backend}</backend></tpm>`)
  const stored = "<backend type='emulator' version='2.0'>\n        <encryption secret='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/>\n        <active_pcr_banks>\n          <sha1/>\n          <sha256/>\n"

  it('the encryption is written before the active PCR banks, whatever the order (h37-tpm-be-rev, h37-tpm-be-enc-rev)', () => {
    expect(predicts(tpm("<active_pcr_banks><sha1/><sha256/></active_pcr_banks><encryption secret='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/>"), { v9: true })).toContain(stored)
  })

  it('in that order already, it stays (h37-tpm-be-ok)', () => {
    expect(predicts(tpm("<encryption secret='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/><active_pcr_banks><sha1/><sha256/></active_pcr_banks>"), { v9: true })).toContain(stored)
  })
})

describe("a video model's children (virDomainVideoDefFormat)", () => {
  const video = (model: string): string => q35(`<video><model type='qxl' ram='65536' vram='65536' vgamem='16384' heads='1' primary='yes'>${model}</model></video>`)
  const stored = "primary='yes'>\n        <acceleration accel3d='no' accel2d='no'/>\n        <resolution x='800' y='600'/>\n      </model>"

  it('acceleration, then resolution (h37-video-model-rev, h37-video-virtio-res-rev)', () => {
    expect(predicts(video("<resolution x='800' y='600'/><acceleration accel3d='no' accel2d='no'/>"), { v9: true })).toContain(stored)
    expect(predicts(video("<acceleration accel3d='no' accel2d='no'/><resolution x='800' y='600'/>"), { v9: true })).toContain(stored)
  })
})

describe("an EGD random number backend's character device (virDomainRNGDefFormat, virDomainChrSourceDefFormat)", () => {
  const rng = (backend: string): string => q35(`<rng model='virtio'><backend model='egd' type='tcp'>${backend}</backend></rng>`)
  const stored = "<backend model='egd' type='tcp'>\n        <source mode='connect' host='127.0.0.1' service='1234'/>\n        <protocol type='raw'/>\n      </backend>"

  it('the source, then the protocol (h37-rng-egd-rev; -ok in order)', () => {
    expect(predicts(rng("<protocol type='raw'/><source mode='connect' host='127.0.0.1' service='1234'/>"), { v9: true })).toContain(stored)
    expect(predicts(rng("<source mode='connect' host='127.0.0.1' service='1234'/><protocol type='raw'/>"), { v9: true })).toContain(stored)
  })
})

describe('the resource partition (virDomainResourceDefFormat)', () => {
  const stored = "<resource>\n    <partition>/machine</partition>\n    <fibrechannel appid='abcdef'/>\n  </resource>"

  it('the partition, then the Fibre Channel application ID (h37-resource-rev; -ok in order)', () => {
    expect(predicts(withSettings("<resource><fibrechannel appid='abcdef'/><partition>/machine</partition></resource>"), { v9: true })).toContain(stored)
    expect(predicts(withSettings("<resource><partition>/machine</partition><fibrechannel appid='abcdef'/></resource>"), { v9: true })).toContain(stored)
  })
})

describe("a guest NUMA cell's children (virDomainNumaDefFormatXML, virNumaDistanceFormat, virNumaCacheFormat)", () => {
  const cell = (inner: string, second = ''): string => withSettings('<vcpu>2</vcpu>', `<cpu><numa><cell id='0' cpus='0' memory='262144' unit='KiB'>${inner}</cell>${second}</numa></cpu>`)
  const cache = (inner: string): string => `<cache level='1' associativity='direct' policy='writeback'>${inner}</cache>`

  it("a cache's size, then its line (h37-cpu-cache-rev, h37-cpu-cell; -ok in order)", () => {
    const stored = "<cache level='1' associativity='direct' policy='writeback'>\n          <size value='10' unit='KiB'/>\n          <line value='8' unit='B'/>\n        </cache>"
    expect(predicts(cell(cache("<line value='8' unit='B'/><size value='10' unit='KiB'/>")), { v9: true })).toContain(stored)
    expect(predicts(cell(cache("<size value='10' unit='KiB'/><line value='8' unit='B'/>")), { v9: true })).toContain(stored)
  })

  it("a cell's distances, then its caches (h37-numa-dist-rev; -ok in order)", () => {
    const other = "<cell id='1' cpus='1' memory='262144' unit='KiB'><distances><sibling id='0' value='21'/><sibling id='1' value='10'/></distances></cell>"
    const distances = "<distances><sibling id='0' value='10'/><sibling id='1' value='21'/></distances>"
    const c = cache("<size value='10' unit='KiB'/><line value='8' unit='B'/>")
    const stored = "<sibling id='1' value='21'/>\n        </distances>\n        <cache level='1'"
    expect(predicts(cell(c + distances, other), { v9: true })).toContain(stored)
    expect(predicts(cell(distances + c, other), { v9: true })).toContain(stored)
  })
})

describe('key wrapping (virDomainKeyWrapDefFormat)', () => {
  it('the AES cipher, then the DEA one, whatever the order written (h37-keywrap-rev, h37-keywrap1-rev; -ok in order)', () => {
    expect(predicts(s390Domain("<keywrap><cipher name='dea' state='off'/><cipher name='aes' state='on'/></keywrap>"), { caps: s390, v9: true }))
      .toContain("<keywrap>\n    <cipher name='aes' state='on'/>\n    <cipher name='dea' state='off'/>\n  </keywrap>")
    expect(predicts(s390Domain("<keywrap><cipher name='aes' state='off'/><cipher name='dea' state='on'/></keywrap>"), { caps: s390, v9: true }))
      .toContain("<keywrap>\n    <cipher name='aes' state='off'/>\n    <cipher name='dea' state='on'/>\n  </keywrap>")
  })
})
