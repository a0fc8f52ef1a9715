// How libvirt cleans the file paths it reads in some places (src/util/virfile.c virFileSanitizePath): repeated slashes
// become one and a trailing one goes, but a leading `//` (valid POSIX) stays and a URI is left as written.

/** A path as virFileSanitizePath writes it back: `/dev//input/event1/` → `/dev/input/event1`. */
export function sanitizePath(path: string): string {
  const scheme = path.indexOf('://')
  // (a URI — `://` before the first slash — is not touched: two slashes may name another resource there)
  if (scheme >= 0 && path.indexOf('/') > scheme) return path
  let out = ''
  let i = 0
  // starting with exactly `//` is kept (POSIX), `///` and more are `/`
  if (path.startsWith('//') && path[2] !== '/') { out = '//'; i = 2 }
  while (i < path.length) {
    if (path[i] !== '/') { out += path[i++]; continue }
    while (path[++i] === '/');
    // no trailing slash (but a path that is only slashes stays `/`)
    if (out.length !== 0 && i >= path.length) break
    out += '/'
  }
  return out
}

/**
 * A boot `loadparm` as virDomainDeviceBootParseXML reads it (virStringToUpper): ASCII letters upper-cased and every `-` an
 * `_` (`-1` is `_1`, then refused by its character set in those words: libvirtd 9.0, differential seed 486); other
 * characters as they are.
 */
export function loadparmAsRead(text: string): string {
  let out = ''
  for (const c of text) out += c === '-' ? '_' : c >= 'a' && c <= 'z' ? c.toUpperCase() : c
  return out
}
