// For `node tools/bench.mjs --only fleet`: N fake libvirtd servers (the adapter's test fake) on
// loopback TCP, a tenth answering CONNECT_GET_HOSTNAME after SLOW ms and a few closing the connection
// in the middle of it. Prints one JSON line { ports, slow, dropping } and runs until stdin closes.
//   tsx tools/bench/fake-fleet.ts [N=200] [SLOW=200]
import { FakeLibvirtd, P } from '../../packages/libvirt-adapter/test/fake-libvirtd.ts'

const total = Number(process.argv[2] ?? 200)
const slowMs = Number(process.argv[3] ?? 200)
const fakes: FakeLibvirtd[] = []
const slow: number[] = []
const dropping: number[] = []
for (let i = 0; i < total; i++) {
  const fake = new FakeLibvirtd()
  const hostname = fake.handlers.get(P.GET_HOSTNAME)!
  if (i % 10 === 3) {
    slow.push(i)
    fake.handlers.set(P.GET_HOSTNAME, (c) => void setTimeout(() => hostname(c), slowMs))
  } else if (i % 40 === 17) {
    dropping.push(i)
    fake.handlers.set(P.GET_HOSTNAME, (c) => c.client.destroy())
  }
  await fake.listen({ tcp: true })
  fakes.push(fake)
}
process.stdout.write(JSON.stringify({ ports: fakes.map((f) => f.port), slow, dropping }) + '\n')
process.stdin.resume()
process.stdin.on('end', async () => {
  await Promise.all(fakes.map((f) => f.stop()))
  process.exit(0)
})
