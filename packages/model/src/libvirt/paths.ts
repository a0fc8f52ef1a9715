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
