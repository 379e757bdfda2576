#!/bin/bash
# init.sh is process 1 of a lab host. It runs in fresh mount, uts and pid
# namespaces inside the host's network namespace, builds the host's root
# (an overlay of the machine's / plus the file systems a booted host has),
# pivots into it, starts sshd and then stays as the reaper of the pid
# namespace. The lab passes its paths in the environment:
#   LAB_UPPER, LAB_WORK, LAB_ROOT  overlay upper, work and mount point
#   LAB_HOSTNAME                   the host's name
set -euo pipefail

root=$LAB_ROOT
mount -t overlay overlay -o "lowerdir=/,upperdir=$LAB_UPPER,workdir=$LAB_WORK" "$root"

mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
mount -t sysfs -o nosuid,nodev,noexec sysfs "$root/sys"

# /run as systemd leaves it on a booted Debian host.
mount -t tmpfs -o nosuid,nodev,mode=755,size=64m tmpfs "$root/run"
mkdir -m 1777 "$root/run/lock"
mkdir -m 755 "$root/run/sshd"
mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs "$root/tmp"

# /dev: the usual device nodes, a private devpts instance for the host's
# ptys and its own /dev/shm.
mount -t tmpfs -o nosuid,mode=755,size=1m tmpfs "$root/dev"
for dev in null zero full random urandom tty; do
	touch "$root/dev/$dev"
	mount --bind "/dev/$dev" "$root/dev/$dev"
done
mkdir "$root/dev/pts" "$root/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5 devpts "$root/dev/pts"
mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs "$root/dev/shm"
ln -s pts/ptmx "$root/dev/ptmx"
ln -s /proc/self/fd "$root/dev/fd"
ln -s /proc/self/fd/0 "$root/dev/stdin"
ln -s /proc/self/fd/1 "$root/dev/stdout"
ln -s /proc/self/fd/2 "$root/dev/stderr"

hostname "$LAB_HOSTNAME"

# Make the overlay the root and drop the machine's root from this namespace.
cd "$root"
pivot_root . .
umount -l .
cd /

ip link set lo up

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
/etc/gorun-lab/sshd-start -D &
echo "lab host $LAB_HOSTNAME up"

# Process 1 ignores signals it does not handle: TERM ends the host.
trap 'exit 0' TERM
while :; do
	sleep infinity &
	wait $! || true
done
