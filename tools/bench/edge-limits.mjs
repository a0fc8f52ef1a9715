// Worst-case requests at the edge limits: median and max of 7 in-process requests per route, for
// sizes around the edge's device limits and for foreign metadata (what the element limit bounds).
// `npm run build` first; then `node tools/bench/edge-limits.mjs`.
import { createHandler } from '../../packages/edge/dist/index.js'
// The library's limits, so that sizes past the edge's own can be timed.
const h = createHandler({ deviceLimits: { disks: 1024, nics: 1024, devices: 4096 }, maxElements: 100_000 })
const disk = (i) => `<disk type='file' device='disk'><source file='/var/lib/libvirt/images/d${i}.qcow2'/><target dev='vd${i}' bus='virtio'/></disk>`
const nic = (i) => `<interface type='network'><source network='default'/><mac address='52:54:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}'/><model type='virtio'/></interface>`
const dom = (n, m) => `<domain type='kvm'><name>w</name><memory unit='GiB'>2</memory><vcpu>2</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><devices>${Array.from({ length: n }, (_, i) => disk(i)).join('')}${Array.from({ length: m }, (_, i) => nic(i)).join('')}</devices></domain>`
const meta = (n) => `<domain type='kvm'><name>w</name><memory unit='GiB'>2</memory><os><type arch='x86_64'>hvm</type></os><metadata>${'<a:x xmlns:a="urn:x" k="v"/>'.repeat(n)}</metadata><devices/></domain>`
for (const n of [256, 512, 1024]) {
  for (const [path, body] of [['/v1/explain', { xml: dom(n, n) }], ['/v1/apply', { xml: dom(n, n) }], ['/v1/validate', { xml: dom(n, n) }], ['/v1/plan-attach', { xml: dom(n, n), device: "<disk type='file' device='disk'><source file='/n.qcow2'/></disk>" }], ['/v1/compose', { spec: { name: 'w', memory: '2GiB', vcpus: 2, disks: Array.from({ length: n }, (_, i) => ({ source: { file: '/d' + i } })), nics: Array.from({ length: n }, () => ({ type: 'network', source: 'default' })) } }]]) {
    const text = JSON.stringify(body); const times = []
    for (let i = 0; i < 7; i++) { const t = performance.now(); const r = await h(new Request('http://x' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text })); await r.arrayBuffer(); times.push(performance.now() - t) }
    times.sort((a, b) => a - b); console.log(`${n}+${n} ${path.padEnd(16)} median ${times[3].toFixed(0)} max ${times[6].toFixed(0)} ms`)
  }
}
for (const n of [4000, 8000, 16000]) { const text = JSON.stringify({ xml: meta(n) }); const times = []; for (let i = 0; i < 5; i++) { const t = performance.now(); const r = await h(new Request('http://x/v1/validate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: text })); await r.arrayBuffer(); times.push(performance.now() - t) } times.sort((a, b) => a - b); console.log(`metadata ${n} validate median ${times[2].toFixed(0)} ms`) }
