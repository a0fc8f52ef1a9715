#!/usr/bin/env bash
# Starts a private libvirtd + virtlogd as root (QEMU driver, TCG guests, no KVM needed), listening on
# the unix socket that qemu:///system uses and, when openssl is there, on TLS at 127.0.0.1:16514
# (qemu+tls://127.0.0.1/system?pkipath=$dir/pki/client; certificates by pki.sh). When sshd is
# installed, also an sshd on 127.0.0.1:2222 with key-only root login (qemu+ssh://root@127.0.0.1:2222/system
# ?keyfile=$dir/ssh/id_ed25519&known_hosts=$dir/ssh/known_hosts). Writes its configs under $VIRTUNED_SANDBOX_DIR.
#
# Reference-counted, so test suites running in parallel can share one libvirtd: each start.sh adds a
# holder (a file under $dir/holders named after the calling process, $VIRTUNED_SANDBOX_HOLDER or the
# parent pid), and stop.sh only stops the daemons when the last live holder leaves — and only daemons
# that start.sh itself started. Holders whose process is gone are forgotten. A lock serialises both.
set -euo pipefail
dir="${VIRTUNED_SANDBOX_DIR:-/run/virtuned-sandbox}"
mkdir -p "$dir/holders" /var/log/libvirt /var/lib/libvirt/qemu /var/run/libvirt
command -v libvirtd >/dev/null || { echo "start: libvirtd is not installed (run tools/libvirt-sandbox/install.sh)" >&2; exit 1; }
exec 9>"$dir/lock"
flock -w 120 9 || { echo "start: could not take $dir/lock within 120 s" >&2; exit 1; }
holder="${VIRTUNED_SANDBOX_HOLDER:-$PPID}"
for f in "$dir"/holders/*; do
  [ -e "$f" ] || continue
  pid="${f##*/}"; pid="${pid%%.*}"
  kill -0 "$pid" 2>/dev/null || rm -f "$f"
done
answers() { virsh -c qemu:///system version >/dev/null 2>&1; }
here="$(cd "$(dirname "$0")" && pwd)"
ssh_port="${VIRTUNED_SANDBOX_SSH_PORT:-2222}"
# sshd on 127.0.0.1:$ssh_port for qemu+ssh (sshd.sh: started once, stopped by stop.sh with the last
# holder; skipped without openssh-server — only the remote suites need it). sshd.sh returns once it is up.
# A start that fails is said on stdout and left to those suites, which look for $dir/sshd.pid; the other
# suites go on without it.
ensure_sshd() { "$here/sshd.sh" start "$dir" "$ssh_port" 9>&- 2>&1 || echo "start: sshd is not running (see $dir/sshd.log)"; }
if answers; then
  mktemp "$dir/holders/$holder.XXXXXX" >/dev/null
  ensure_sshd
  if [ -f "$dir/owned" ]; then echo "start: libvirtd already up (started by the sandbox; $(ls "$dir/holders" | wc -l) holders)"
  else echo "start: a libvirtd not started by the sandbox already answers on qemu:///system (stop.sh will leave it running)"; fi
  exit 0
fi
rm -f "$dir/owned" "$dir/owned-virtlogd"
# The QEMU driver wants these users and groups to exist even when it runs guests as root.
getent group kvm >/dev/null || groupadd --system kvm
getent group libvirt-qemu >/dev/null || groupadd --system libvirt-qemu
getent passwd libvirt-qemu >/dev/null || useradd --system --no-create-home --gid libvirt-qemu libvirt-qemu
# qemu.conf: guests as root, no security driver (no AppArmor/SELinux labelling in this sandbox).
conf=/etc/libvirt/qemu.conf
if [ -f "$conf" ] && [ ! -f "$conf.virtuned-orig" ]; then cp "$conf" "$conf.virtuned-orig"; fi
cat > "$conf" <<CONF
# Written by virtuned's tools/libvirt-sandbox/start.sh (original kept as qemu.conf.virtuned-orig).
user = "root"
group = "root"
security_driver = "none"
CONF
cat > "$dir/libvirtd.conf" <<CONF
auth_unix_rw = "none"
auth_unix_ro = "none"
unix_sock_rw_perms = "0770"
log_outputs = "3:file:$dir/libvirtd.log"
CONF
# TLS on 127.0.0.1:16514 with the sandbox CA (auth_tls none: the client certificate is the credential).
listen=()
if "$here/pki.sh" "$dir/pki" 127.0.0.1; then
  cat >> "$dir/libvirtd.conf" <<CONF
listen_tls = 1
listen_tcp = 0
listen_addr = "127.0.0.1"
tls_port = "${VIRTUNED_SANDBOX_TLS_PORT:-16514}"
auth_tls = "none"
key_file = "$dir/pki/server/serverkey.pem"
cert_file = "$dir/pki/server/servercert.pem"
ca_file = "$dir/pki/ca/cacert.pem"
CONF
  listen=(--listen)
else
  echo "start: no certificates (openssl missing?): libvirtd listens on the unix socket only"
fi
if ! pgrep -x virtlogd >/dev/null; then
  virtlogd -d -p "$dir/virtlogd.pid" 9>&-
  touch "$dir/owned-virtlogd"
fi
libvirtd --config "$dir/libvirtd.conf" "${listen[@]}" -d --pid-file "$dir/libvirtd.pid" 9>&-
touch "$dir/owned"
for _ in $(seq 1 60); do
  if answers; then
    mktemp "$dir/holders/$holder.XXXXXX" >/dev/null
    echo "start: libvirtd up on /var/run/libvirt/libvirt-sock${listen:+ and TLS 127.0.0.1:${VIRTUNED_SANDBOX_TLS_PORT:-16514}} (pid $(cat "$dir/libvirtd.pid"))"
    ensure_sshd
    exit 0
  fi
  sleep 0.5
done
echo "start: libvirtd did not answer within 30 s; its log:" >&2
tail -20 "$dir/libvirtd.log" >&2 || true
exit 1
