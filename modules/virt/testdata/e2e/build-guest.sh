#!/bin/sh
# build-guest.sh OUTDIR — builds the end-to-end test's guest from Debian
# packages and this machine's own OpenSSH, without a cloud image:
#
#   OUTDIR/vmlinuz     Debian's cloud kernel (apt-get download, unpacked)
#   OUTDIR/initrd.img  busybox-static and the virtio/ATA/ISO 9660 modules;
#                      its /init mounts /dev/vda and switches to it
#   OUTDIR/root.qcow2  the root file system (ext4 from `mke2fs -d`, converted
#                      with qemu-img): busybox, sshd and sftp-server with their
#                      libraries, and /sbin/init, a small NoCloud reader that
#                      takes the host name, SSH keys and network settings from
#                      the cloud-init seed CD-ROM gorun.kvm.cloudinit builds
#
# The guest boots in about a second under KVM and a few seconds under TCG.
# Outputs are reused when present (delete OUTDIR to rebuild). Needs root (for
# file ownership in the image), apt-get, mke2fs, qemu-img, cpio, gzip, ldd.
set -eu
out=$1
[ -s "$out/root.qcow2" ] && [ -s "$out/initrd.img" ] && [ -s "$out/vmlinuz" ] && [ -s "$out/host_key.pub" ] && exit 0
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Debian's cloud kernel (virtio as modules, no initramfs tools needed) and a
# static busybox, unpacked without installing them.
kpkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
[ -n "$kpkg" ] || { echo "build-guest.sh: no linux-image-cloud-amd64 in apt's lists (run apt-get update)" >&2; exit 1; }
(cd "$work" && apt-get download -q -o Acquire::http::Timeout=30 -o Acquire::Retries=2 "$kpkg" busybox-static >/dev/null 2>&1) ||
	(cd "$work" && apt-get download -o Acquire::http::Timeout=30 -o Acquire::Retries=2 "$kpkg" busybox-static)
mkdir "$work/pkg"
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/pkg"; done
kver=$(ls "$work/pkg/lib/modules")
cp "$work/pkg/boot/vmlinuz-$kver" "$work/vmlinuz"
bb=$work/pkg/bin/busybox

# initrd: load the drivers, mount the root disk, switch to it.
ird=$work/initrd
mkdir -p "$ird/bin" "$ird/lib/modules" "$ird/proc" "$ird/sys" "$ird/dev" "$ird/newroot"
cp "$bb" "$ird/bin/busybox"
mods="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_blk failover net_failover virtio_net scsi_common scsi_mod libata ata_piix cdrom sr_mod isofs"
for m in $mods; do
	find "$work/pkg/lib/modules/$kver" -name "$m.ko" -exec cp {} "$ird/lib/modules/" \;
done
cat >"$ird/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $mods; do [ -f /lib/modules/\$m.ko ] && insmod /lib/modules/\$m.ko 2>/dev/null; done
for i in \$(seq 50); do [ -b /dev/vda ] && break; sleep 0.1; done
mount -t ext4 /dev/vda /newroot || { echo "initrd: cannot mount /dev/vda"; exec sh; }
umount /proc /sys
mount --move /dev /newroot/dev
exec switch_root /newroot /sbin/init
INIT
chmod 755 "$ird/init"
(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.img"

# root file system
root=$work/root
mkdir -p "$root/bin" "$root/sbin" "$root/etc/ssh" "$root/root/.ssh" "$root/proc" "$root/sys" "$root/dev" \
	"$root/run/sshd" "$root/tmp" "$root/var/empty" "$root/var/log" "$root/seed" "$root/usr/sbin" "$root/usr/lib/openssh" "$root/lib/modules"
chmod 1777 "$root/tmp"
chmod 700 "$root/root" "$root/root/.ssh"
cp "$bb" "$root/bin/busybox"
cp /usr/sbin/sshd "$root/usr/sbin/sshd"
cp /usr/lib/openssh/sftp-server "$root/usr/lib/openssh/sftp-server"
for lib in $(ldd /usr/sbin/sshd /usr/lib/openssh/sftp-server | awk '/=> \// {print $3} /^\t\/lib/ {print $1}' | sort -u); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
mkdir -p "$root/lib64" && cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
cat >"$root/etc/passwd" <<'PW'
root:x:0:0:root:/root:/bin/sh
sshd:x:100:65534:sshd:/run/sshd:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
printf 'root:*:19000:0:99999:7:::\n' >"$root/etc/shadow"
chmod 600 "$root/etc/shadow"
echo /bin/sh >"$root/etc/shells"
cat >"$root/etc/ssh/sshd_config" <<'CFG'
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
AuthorizedKeysFile .ssh/authorized_keys
Subsystem sftp /usr/lib/openssh/sftp-server
HostKey /etc/ssh/ssh_host_ed25519_key
CFG
ssh-keygen -q -t ed25519 -N '' -C guest -f "$root/etc/ssh/ssh_host_ed25519_key"
cat >"$root/sbin/init" <<'INIT'
#!/bin/sh
# The guest's init: a NoCloud reader (host name, SSH keys, static or DHCP
# network from the seed CD-ROM), then sshd.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -o remount,rw /
hostname guest
ip link set lo up
for i in $(seq 50); do [ -b /dev/sr0 ] && break; sleep 0.1; done
if mount -t iso9660 -o ro /dev/sr0 /seed 2>/dev/null; then
	h=$(sed -n 's/^local-hostname: *//p' /seed/meta-data | tr -d "\"'")
	[ -n "$h" ] && hostname "$h" && echo "$h" >/etc/hostname
	grep -oE '(ssh-ed25519|ssh-rsa|ecdsa-sha2-[a-z0-9]+) [A-Za-z0-9+/=]+' /seed/user-data >/root/.ssh/authorized_keys
	addr=$(grep -oE '[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+/[0-9]+' /seed/network-config 2>/dev/null | head -n 1)
	gw=$(sed -n 's/.*gateway4: *\([0-9.]*\).*/\1/p' /seed/network-config 2>/dev/null | head -n 1)
fi
ip link set eth0 up
if [ -n "$addr" ]; then
	ip addr add "$addr" dev eth0
	[ -n "$gw" ] && ip route add default via "$gw" && ping -c 1 -W 1 "$gw" >/dev/null 2>&1
else
	printf '#!/bin/sh\ncase $1 in bound|renew) ip addr add $ip/$mask dev $interface; [ -n "$router" ] && ip route add default via ${router%%%% *};; esac\n' >/tmp/dhcp.sh
	chmod 755 /tmp/dhcp.sh
	udhcpc -i eth0 -q -n -t 10 -s /tmp/dhcp.sh >/dev/null 2>&1
fi
/usr/sbin/sshd -E /var/log/sshd.log
echo "guest $(hostname) up: $(ip -4 -o addr show eth0)" >/dev/console
while :; do sleep 3600; done
INIT
chmod 755 "$root/sbin/init"
# busybox's applets, last: the links point at /bin/busybox, which on this
# machine is the host's own, so nothing may be written through them.
for app in $("$bb" --list-full); do
	[ -e "$root/$app" ] || [ -L "$root/$app" ] || { mkdir -p "$root/$(dirname "$app")"; ln -s /bin/busybox "$root/$app"; }
done
mke2fs -q -t ext4 -L root -d "$root" "$work/root.raw" 96M
qemu-img convert -f raw -O qcow2 "$work/root.raw" "$work/root.qcow2"
cp "$root/etc/ssh/ssh_host_ed25519_key.pub" "$work/host_key.pub"
# Each output is renamed into place, the image last: a build cut short
# leaves nothing the check above would take for a whole guest.
for f in vmlinuz initrd.img host_key.pub root.qcow2; do
	cp "$work/$f" "$out/$f.tmp"
	mv "$out/$f.tmp" "$out/$f"
done
