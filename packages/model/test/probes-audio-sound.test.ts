// Audio backends, sound cards and smartcards as libvirtd 9.0 reads and writes them (probes h25-…,
// virDomainAudioDefParseXML / …Format, virDomainSoundDefFormat, virDomainSmartcardDefParseXML of libvirt 9.0): model's
// tables say them so.
import { describe, expect, it } from 'vitest'
import { attributeOrder, attributesReadByLocalName, attributeReadProblem, attributeReadValue, attributeReads, childrenByType, deviceReadParts, deviceRepeatedReadParts, formatterChildOrders, inAttributeOrder } from '../src/index.ts'

const read = (path: string, attribute: string) => attributeReads.get(path)!.find((r) => r[0] === attribute)!

describe('audio', () => {
  it('an audio ID is read unsigned and written with %d, on the backend, a sound card and a display (h25-au-id-2p31, -sound-ref-big, -vnc-ref-big)', () => {
    for (const [path, element] of [['devices/audio', 'audio'], ['devices/sound/audio', 'audio'], ['devices/graphics/audio', 'audio']] as const) {
      const id = read(path, 'id')
      expect(attributeReadValue('4294967295', id)).toBe('-1')
      expect(attributeReadValue('3000000000', id)).toBe('-1294967296')
      expect(attributeReadValue('2147483647', id)).toBeUndefined()
      expect(attributeReadProblem('0', id, element)).toBe("Invalid value for attribute 'id' in element 'audio': Zero is not permitted")
    }
  })

  it("an OSS backend's tryMMap and exclusive are yes/no, its DSP policy an int — read for OSS alone (h25-au-oss-*)", () => {
    const policy = read('devices/audio', 'dspPolicy')
    expect(policy[2]!.when).toEqual({ of: 'self', attribute: 'type', values: ['oss'] })
    expect(attributeReadProblem('2147483648', policy, 'audio')).toBe("Invalid value for attribute 'dspPolicy' in element 'audio': '2147483648'. Expected integer value")
    expect(attributeReadProblem('-1', policy, 'audio')).toBeUndefined()
    expect(attributeReadProblem('on', read('devices/audio', 'tryMMap'), 'audio')).toBe("Invalid value for attribute 'tryMMap' in element 'audio': 'on'.")
    expect(read('devices/audio', 'exclusive')[2]!.when?.values).toEqual(['oss'])
  })

  it("an SDL backend's driver: esd, alsa, arts or pulseaudio, the enumeration's empty 0 refused (h25-au-sdl-driver-*)", () => {
    const driver = read('devices/audio', 'driver')
    expect(driver[2]!.when?.values).toEqual(['sdl'])
    expect(attributeReadProblem('arts', driver, 'audio')).toBeUndefined()
    expect(attributeReadProblem('', driver, 'audio')).toBe("Invalid value for attribute 'driver' in element 'audio': ''.")
    expect(attributeReadProblem('default', driver, 'audio')).toBe("Invalid value for attribute 'driver' in element 'audio': 'default'.")
  })
})

describe('a sound card and a smartcard', () => {
  it('a sound card writes its codecs before its audio backend (h25-snd-order)', () => {
    expect(formatterChildOrders['devices/sound']).toEqual(['codec', 'audio'])
  })

  it("a smartcard reads certificates and a database in host-certificates mode alone, a character source in passthrough (h25-sc-host-certs-ignored)", () => {
    const sets = childrenByType.get('smartcard')![0]!.sets
    expect(sets.get('host')!.has('certificate')).toBe(false)
    expect(sets.get('host')!.has('address')).toBe(true)
    expect(sets.get('host-certificates')!.has('database')).toBe(true)
    expect(sets.get('host-certificates')!.has('source')).toBe(false)
    expect(sets.get('passthrough')!.has('source')).toBe(true)
  })
})

describe("an audio backend's parse and format orders", () => {
  it('a direction: engine, fixed settings, voices, buffer length, settings; an OSS poll switch before its buffer count (h25-fz-au-67, -fz2-au-230)', () => {
    const parts = deviceReadParts.audio!
    const at = (part: string): number => parts.indexOf(part)
    expect(at('output/@fixedSettings')).toBeLessThan(at('output/@voices'))
    expect(at('output/@bufferLength')).toBeLessThan(at('output/settings'))
    expect(at('input/settings')).toBeLessThan(at('output/@mixingEngine'))
    expect(at('input/@tryPoll')).toBeLessThan(at('input/@bufferCount'))
  })

  it("a JACK direction's exact-name switch is written after its names and ports (h25-fz2-au-301)", () => {
    const order = attributeOrder('devices', 'audio', 'output')!
    expect(Object.keys(inAttributeOrder({ exactName: 'no', connectPorts: 'p', clientName: 'c', serverName: 's' }, order))).toEqual(['serverName', 'clientName', 'connectPorts', 'exactName'])
  })
})

describe('the small devices\' parse orders', () => {
  it("a redirection filter's rules are read one after the other; a redirected device's bus and type before its information; a smartcard's mode's needs before its information (h25-c1-mix-*)", () => {
    expect(deviceRepeatedReadParts.has('redirfilter/usbdev')).toBe(true)
    const rd = deviceReadParts.redirdev!
    expect(rd.indexOf('@bus')).toBeLessThan(rd.indexOf('@type'))
    expect(rd.indexOf('@type')).toBeLessThan(rd.indexOf('boot'))
    expect(rd.indexOf('source')).toBeLessThan(rd.indexOf('address'))
    const sc = deviceReadParts.smartcard!
    expect(sc.indexOf('certificate')).toBeLessThan(sc.indexOf('address'))
    expect(sc.indexOf('@type')).toBeLessThan(sc.indexOf('source'))
  })
})

describe('attributes read by local name (xmlGetProp)', () => {
  it('the audio, sound, small devices and lease targets; not an alias nor a NIC model, read with XPath (h25-nsa-*, -nsb-*)', () => {
    for (const path of ['devices/audio', 'devices/audio/output/settings', 'devices/sound/codec', 'devices/graphics/audio', 'devices/redirfilter/usbdev', 'devices/lease/target']) expect(attributesReadByLocalName.has(path), path).toBe(true)
    expect(attributesReadByLocalName.has('devices/sound/alias')).toBe(false)
    expect(attributesReadByLocalName.has('devices/interface/model')).toBe(false)
  })
})
