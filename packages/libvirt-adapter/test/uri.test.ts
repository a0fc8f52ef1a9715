// Issue 16 item 17: each transport's default port is libvirt's, and an empty `?socket=` is an error.
import { describe, expect, it } from 'vitest'
import { LibvirtUsageError, parseLibvirtUri } from '../src/index.ts'

function usageError(run: () => unknown): LibvirtUsageError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(LibvirtUsageError)
    return error as LibvirtUsageError
  }
  throw new Error('expected a LibvirtUsageError')
}

describe('parseLibvirtUri', () => {
  it('gives each transport libvirt\'s default port', () => {
    expect(parseLibvirtUri('qemu+tcp://host/system')).toMatchObject({ transport: 'tcp', host: 'host', port: 16509 })
    expect(parseLibvirtUri('qemu+tls://host/system')).toMatchObject({ transport: 'tls', host: 'host', port: 16514 })
    // A host without a transport is TLS, as in libvirt.
    expect(parseLibvirtUri('qemu://host/system')).toMatchObject({ transport: 'tls', port: 16514 })
    expect(parseLibvirtUri('qemu+ssh://root@host/system')).toMatchObject({ transport: 'ssh', user: 'root', host: 'host', port: 22 })
    expect(parseLibvirtUri('qemu+libssh2://host/system')).toMatchObject({ transport: 'libssh2', port: 22 })
    expect(parseLibvirtUri('qemu+libssh://[::1]/system')).toMatchObject({ transport: 'libssh', host: '::1', port: 22 })
  })

  it('keeps a port the URI names', () => {
    expect(parseLibvirtUri('qemu+tls://host:1234/system').port).toBe(1234)
    expect(parseLibvirtUri('qemu+ssh://host:2222/system').port).toBe(2222)
    expect(usageError(() => parseLibvirtUri('qemu+tls://host:0/system')).code).toBe('libvirt-bad-uri')
  })

  it('refuses an empty `?socket=` instead of using the default socket', () => {
    for (const uri of ['qemu:///system?socket=', 'qemu+unix:///system?socket=', 'qemu:///session?socket=&mode=direct']) {
      const error = usageError(() => parseLibvirtUri(uri))
      expect(error.code).toBe('libvirt-bad-uri')
      expect(error.message).toMatch(/empty `socket=`/)
    }
    expect(parseLibvirtUri('qemu:///system?socket=/run/x.sock').socketPath).toBe('/run/x.sock')
    expect(parseLibvirtUri('qemu:///system').socketPath).toBe('/var/run/libvirt/libvirt-sock')
  })
})
