// The XDR writer grows its buffer as it goes: a value written just past the end of the buffer lands
// in the grown one (a domain XML whose length ended exactly at the buffer's end made defineXML throw
// a RangeError before the flags word could be written).
import { describe, expect, it } from 'vitest'
import { XdrReader, XdrWriter } from '../src/index.ts'

describe('XdrWriter growth', () => {
  it('writes every kind of value across the buffer boundary', () => {
    for (const text of ['abcd', 'abcdefgh', 'a'.repeat(252), 'a'.repeat(1020)]) {
      const w = new XdrWriter({ initialBytes: 8 })
      w.string(text, 1 << 20).uint(7).int(-3).hyper(-5n).uhyper(9n).uint(0xffffffff)
      const r = new XdrReader(w.finish())
      expect([r.string(1 << 20), r.uint(), r.int(), r.hyper(), r.uhyper(), r.uint()]).toEqual([text, 7, -3, -5n, 9n, 0xffffffff])
    }
  })
})
