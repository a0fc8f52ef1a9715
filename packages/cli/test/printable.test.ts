// Issue 16 item 17: libvirt's error text reaches the terminal without escape sequences or control
// characters (newline and tab stay).
import { LibvirtError } from '@virtuned/libvirt-adapter'
import { describe, expect, it } from 'vitest'
import { formatError, printable } from '../src/errors.ts'

const hostile = 'operation failed: \x1b[31mred\x1b[0m \x1b]0;pwned title\x07 \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ back\x08\x08ok\rover\x00nul\x7f\x9b2J\x1bc\ttab\nnext line'

describe('printable', () => {
  it('drops ANSI sequences and control characters, keeps newline, tab and the words', () => {
    expect(printable(hostile)).toBe('operation failed: red  link backokovernul2J\ttab\nnext line')
    expect(printable('a\x1b(Bb\x1b[?25lc\x1b')).toBe('abc')
    expect(printable('plain — unicode ✓\tand\nlines')).toBe('plain — unicode ✓\tand\nlines')
  })

  it('is what formatError prints for a libvirt error', () => {
    const error = new LibvirtError({ code: 1, domain: 10, message: hostile, level: 2, str1: undefined, str2: undefined, str3: undefined, int1: 0, int2: 0 }, 'DOMAIN_CREATE')
    const line = formatError('vm.xml', error)
    expect(line).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/)
    expect(line).toContain('vm.xml: operation failed: red  link back')
    expect(line).toContain('\ttab\nnext line [libvirt-error]')
    expect(formatError('-', new Error('\x1b[2Jboom'))).toBe('-: boom [internal]')
  })
})
