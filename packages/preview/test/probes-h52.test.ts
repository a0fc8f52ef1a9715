// I/O threads, launch security, key wrapping, memory and block I/O tuning and perf events as libvirt 9.0 reads and checks
// them (own probes `h52-…`, each defined on the sandbox libvirtd 9.0 beside preview; the expected fragments and refusals
// are what the daemon stored or said).
import { describe, expect, it } from 'vitest'
import { capsXml } from './_caps.ts'
import { predicts, refusal } from './_refusal.ts'

const v9 = { v9: true }
const dom = (top: string, devices = '', machine = 'q35'): string =>
  `<domain type='qemu'><name>h52</name><memory>1048576</memory><vcpu>2</vcpu><os><type arch='x86_64' machine='${machine}'>hvm</type></os>${top}<devices>${devices}</devices></domain>`

describe("an I/O thread's pin (virDomainIOThreadPinDefParseXML: the thread looked up before the host CPUs are read)", () => {
  it('a pin of a thread the domain lacks is refused for the thread, whatever its host CPUs', () => {
    expect(refusal(dom("<iothreads>2</iothreads><cputune><iothreadpin iothread='5' cpuset='x'/></cputune>"), v9))
      .toMatchObject({ message: "Cannot find 'iothread' : 5" })
    expect(refusal(dom("<iothreads>2</iothreads><cputune><iothreadpin iothread='5'/></cputune>"), v9))
      .toMatchObject({ message: "Cannot find 'iothread' : 5" })
    // (a pin of a thread it has: its host CPUs read, then its cpuset required)
    expect(refusal(dom("<iothreads>2</iothreads><cputune><iothreadpin iothread='1' cpuset='x'/></cputune>"), v9))
      .toMatchObject({ message: "Failed to parse bitmap 'x'" })
    expect(refusal(dom("<iothreads>2</iothreads><cputune><iothreadpin iothread='1'/></cputune>"), v9))
      .toMatchObject({ message: 'missing cpuset for iothreadpin' })
  })
  it('pins are read one after the other: a bad pin before a missing thread is refused for its host CPUs', () => {
    expect(refusal(dom("<iothreads>2</iothreads><cputune><iothreadpin iothread='1' cpuset='x'/><iothreadpin iothread='5' cpuset='0'/></cputune>"), v9))
      .toMatchObject({ message: "Failed to parse bitmap 'x'" })
    expect(refusal(dom("<iothreads>2</iothreads><cputune><iothreadpin iothread='5' cpuset='0'/><iothreadpin iothread='1' cpuset='x'/></cputune>"), v9))
      .toMatchObject({ message: "Cannot find 'iothread' : 5" })
    expect(refusal(dom("<iothreads>2</iothreads><cputune><iothreadpin iothread='1' cpuset='0'/><iothreadpin iothread='1' cpuset='1'/><iothreadpin iothread='5' cpuset='0'/></cputune>"), v9))
      .toMatchObject({ message: "duplicate iothreadpin for same iothread '1'" })
  })
})

describe("an ESP (ncr53c90) SCSI controller's driver settings (qemuValidateDomainDeviceDefController: the attributes before the model)", () => {
  it("virtio-scsi's settings on it are refused before it is found no built-in of the machine", () => {
    expect(refusal(dom('', "<controller type='scsi' model='ncr53c90'><driver queues='2'/></controller>"), v9))
      .toMatchObject({ message: "'queues' is only supported by virtio-scsi controller" })
    expect(refusal(dom('', "<controller type='scsi' model='ncr53c90'><driver cmd_per_lun='4'/></controller>"), v9))
      .toMatchObject({ message: "'cmd_per_lun' is only supported by virtio-scsi controller" })
    // (the near misses: none of them, or a 0 — none —: the machine's check)
    for (const driver of ['', "<driver queues='0'/>"]) {
      expect(refusal(dom('', `<controller type='scsi' model='ncr53c90'>${driver}</controller>`), v9))
        .toMatchObject({ message: 'ncr53c90 SCSI controller is not a built-in for this machine' })
    }
  })
})

describe("automatic memory placement and the vCPUs' (virDomainDefParseXML: virDomainDefHasVcpuPin, the emulator's pin, virDomainIOThreadIDArrayHasPin)", () => {
  const auto = "<numatune><memory mode='strict' placement='auto'/></numatune>"
  const bare = (vcpu: string, top: string): string =>
    `<domain type='qemu'><name>h52</name><memory>1048576</memory>${vcpu}<os><type arch='x86_64' machine='q35'>hvm</type></os>${auto}${top}<devices></devices></domain>`
  it('without <vcpu>, a pin of the one vCPU, the emulator or an I/O thread keeps the placement static', () => {
    for (const pin of ["<iothreads>1</iothreads><cputune><iothreadpin iothread='1' cpuset='0'/></cputune>", "<cputune><emulatorpin cpuset='0'/></cputune>", "<cputune><vcpupin vcpu='0' cpuset='0'/></cputune>"]) {
      expect(predicts(bare('', pin), v9)).toContain("<vcpu placement='static'>1</vcpu>")
    }
    // (the near misses: no pin, a scheduler — no pin —, a pin of a vCPU the domain lacks — dropped)
    for (const top of ['', "<iothreads>1</iothreads><cputune><iothreadsched iothreads='1' scheduler='batch'/></cputune>", "<cputune><vcpupin vcpu='7' cpuset='0'/></cputune>"]) {
      expect(predicts(bare('', top), v9)).toContain("<vcpu placement='auto'>1</vcpu>")
    }
  })
  it("a pin of a vCPU the domain lacks is none: a written static placement made automatic all the same", () => {
    expect(predicts(bare("<vcpu placement='static'>2</vcpu>", "<cputune><vcpupin vcpu='7' cpuset='0'/></cputune>"), v9)).toContain("<vcpu placement='auto'>2</vcpu>")
    // (a pin of vCPU 1 it has: static)
    expect(predicts(bare("<vcpu placement='static'>2</vcpu>", "<cputune><vcpupin vcpu='1' cpuset='0'/></cputune>"), v9)).toContain("<vcpu placement='static'>2</vcpu>")
  })
})

describe("a virtio-scsi controller's I/O thread on the address post-parse gave it (qemuValidateCheckSCSIControllerIOThreads after qemuDomainAssignVirtioMMIOAddresses)", () => {
  const machines = "<machine type='tcg' name='virt-9.9' alias='virt' default='yes' maxCpus='512' defaultCPU='cortex-a15-arm-cpu'/><machine type='tcg' name='vexpress-a15' maxCpus='4' defaultCPU='cortex-a15-arm-cpu'/><cpu type='tcg' name='cortex-a15' typename='cortex-a15-arm-cpu' usable='yes'/>"
  const flags = ['cpu-max', 'gpex-pcihost', 'virtio-mmio', 'pcie-root-port', 'pcie-pci-bridge', 'virtio-pci-non-transitional', 'virtio-scsi-pci', 'virtio-scsi-device', 'iothread.thread-pool-max']
  const arm = { caps: capsXml({ arch: 'aarch64', flags, machines, extra: "<gic version='2' kernel='no' emulated='yes'/>" }), v9: true }
  const dom = (machine: string, devices: string): string =>
    `<domain type='qemu'><name>h52</name><memory>1048576</memory><vcpu>1</vcpu><os><type arch='aarch64' machine='${machine}'>hvm</type></os><iothreads>1</iothreads><devices>${devices}</devices></domain>`
  const ctl = (io = '1'): string => `<controller type='scsi' model='virtio-scsi'><driver iothread='${io}'/></controller>`
  const mmioDisk = "<disk type='file' device='disk'><source file='/tmp/b.img'/><target dev='vdb' bus='virtio'/><address type='virtio-mmio'/></disk>"
  it('on a vexpress board, or on ARM virt beside a device written on virtio-mmio, it is a virtio-mmio one: refused', () => {
    for (const xml of [dom('vexpress-a15', ctl()), dom('virt', mmioDisk + ctl()), dom('virt', ctl() + mmioDisk)]) {
      expect(refusal(xml, arm)).toMatchObject({ message: 'virtio-scsi IOThreads only available for virtio pci and virtio ccw controllers' })
    }
    // (its address before its thread: a thread the domain lacks refused for the address too)
    expect(refusal(dom('vexpress-a15', ctl('5')), arm)).toMatchObject({ message: 'virtio-scsi IOThreads only available for virtio pci and virtio ccw controllers' })
    // (the near misses: on ARM virt alone it is placed on PCI; without a thread, no check)
    expect(predicts(dom('virt', ctl()), arm)).toMatch(/<driver iothread='1'\/>\n +<address type='pci'/)
    expect(predicts(dom('vexpress-a15', ctl('0')), arm)).toContain("<address type='virtio-mmio'")
  })
})
