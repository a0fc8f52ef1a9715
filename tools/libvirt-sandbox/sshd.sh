#!/usr/bin/env bash
# The sandbox sshd for qemu+ssh (start.sh and stop.sh call it with their lock held):
#   sshd.sh start DIR PORT   an sshd on 127.0.0.1:PORT with its own host key, key-only root login with
#                            DIR/ssh/id_ed25519 (DIR/ssh/authorized_keys) and DIR/ssh/known_hosts for
#                            clients; returns once DIR/sshd.pid names a live sshd that accepts connections
#   sshd.sh stop DIR         stops the sshd of DIR/sshd.pid; returns once it is gone
# sshd daemonises before it writes its pid file, so its own exit says nothing about either: a caller
# that looked for DIR/sshd.pid right after `sshd` returned missed it nearly every time (19 of 20 here).
# `start` without an sshd binary ($VIRTUNED_SANDBOX_SSHD, default /usr/sbin/sshd) says so and succeeds:
# only the remote suites need it, and they check for it.
set -euo pipefail
what="${1:?usage: sshd.sh start DIR PORT | stop DIR}"
dir="${2:?usage: sshd.sh start DIR PORT | stop DIR}"

alive() { [ -f "$dir/sshd.pid" ] && kill -0 "$(cat "$dir/sshd.pid" 2>/dev/null)" 2>/dev/null; }
# Whether something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp; no client needed).
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

case "$what" in
start)
  port="${3:?usage: sshd.sh start DIR PORT}"
  sshd="${VIRTUNED_SANDBOX_SSHD:-/usr/sbin/sshd}"
  [ -x "$sshd" ] || { echo "sshd: no $sshd (Debian openssh-server): qemu+ssh is not available"; exit 0; }
  if alive; then exit 0; fi
  rm -f "$dir/sshd.pid"
  mkdir -p /run/sshd "$dir/ssh"
  chmod 700 "$dir/ssh"
  for k in host_ed25519 id_ed25519 other_ed25519; do
    [ -f "$dir/ssh/$k" ] || ssh-keygen -q -t ed25519 -N '' -C "virtuned-sandbox-$k" -f "$dir/ssh/$k"
  done
  cp "$dir/ssh/id_ed25519.pub" "$dir/ssh/authorized_keys"
  echo "[127.0.0.1]:$port $(cut -d' ' -f1-2 "$dir/ssh/host_ed25519.pub")" > "$dir/ssh/known_hosts"
  # sshd binds before it daemonises: a non-zero exit is a port still held (by an sshd stopped a moment
  # ago, say), so try again for a few seconds; a zero exit is followed by the pid file, soon.
  for _ in $(seq 1 20); do
    if "$sshd" -f /dev/null -p "$port" -o ListenAddress=127.0.0.1 -o HostKey="$dir/ssh/host_ed25519" \
      -o AuthorizedKeysFile="$dir/ssh/authorized_keys" -o StrictModes=no -o PermitRootLogin=prohibit-password \
      -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -o UsePAM=no -o PidFile="$dir/sshd.pid" \
      -o MaxStartups=200 -o MaxSessions=200 -o LogLevel=ERROR -E "$dir/sshd.log" 9>&-; then
      for _ in $(seq 1 200); do
        if alive && listening "$port"; then
          touch "$dir/owned-sshd"
          echo "sshd: up on 127.0.0.1:$port (pid $(cat "$dir/sshd.pid"))"
          exit 0
        fi
        sleep 0.05
      done
      break
    fi
    sleep 0.25
  done
  echo "sshd: did not come up on 127.0.0.1:$port; its log:" >&2
  tail -5 "$dir/sshd.log" >&2 || true
  exit 1
  ;;
stop)
  [ -f "$dir/sshd.pid" ] || exit 0
  pid="$(cat "$dir/sshd.pid" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    fi
  fi
  rm -f "$dir/sshd.pid" "$dir/owned-sshd"
  ;;
*)
  echo "usage: sshd.sh start DIR PORT | stop DIR" >&2
  exit 2
  ;;
esac
