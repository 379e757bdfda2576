# gorun fact gathering. Prints raw data in sections; the controller parses it.
# Arguments: $1 section marker, $2 wanted collector groups (space separated),
# $3 fact_path, $4 gather_timeout (seconds).
# Every section starts on a new line with "MARKER NAME"; its content runs to
# the newline before the next marker.
M=$1 W=" $2 " FP=$3 T=$4
# fact_path is a "path" option: ~ means the home directory, as expanduser.
case $FP in "~"|"~/"*) FP=$HOME${FP#"~"};; esac
want() { case $W in *" $1 "*) return 0;; esac; return 1; }
sec() { printf '\n%s %s\n' "$M" "$1"; }
# Helpers use variables starting with _ (POSIX sh has no local variables).
# Every process started costs the target a fork and an exec, about as much
# as the SSH exchange that runs the script: the script starts as few as it
# can and uses shell builtins where they give the same answer.
# f PATH...: files to dump; the readable ones are listed and all read at the
# end by one grep, as a does (the controller strips the files' contents,
# as Ansible's get_file_content does, so their last newline does not count).
_F=
f() { for _f in "$@"; do [ -f "$_f" ] && [ -r "$_f" ] && _F="$_F$_f
"; done; return 0; }
# a PATH...: small attribute files (sysfs), all read by one grep, which
# prints each line as "PATH:LINE"; the existing files are listed first so
# that empty ones are known too. Paths must not contain blanks.
a() {
	_l=
	for _f in "$@"; do [ -f "$_f" ] && _l="$_l $_f"; done
	[ -n "$_l" ] || return 0
	sec attrs; printf '%s\n' $_l
	sec attrdata; grep -H '' $_l 2>/dev/null
}
# c NAME CMD...: run a command, dump its stdout and exit status.
c() { _n=$1; shift; sec "cmd $_n"; "$@" 2>/dev/null; _r=$?; sec "rc $_n"; printf %s "$_r"; }
has() { command -v "$1" >/dev/null 2>&1; }
lnk() { [ -L "$1" ] && { sec "link $1"; readlink "$1"; }; }
real() { [ -e "$1" ] && { sec "realpath $1"; readlink -f "$1"; }; }
exists() { sec exists; for _p in "$@"; do if [ -e "$_p" ] || [ -L "$_p" ]; then echo "$_p"; fi; done; }
tmo() { if has timeout; then timeout "$T" "$@"; else "$@"; fi; }
# The user's real and effective ids (id -ru, -u, -rg, -g), read by the
# shell from /proc/self/status; id answers where that file is missing.
# The same file's Cpus_allowed_list is the shell's CPU affinity, which
# Ansible counts for processor_nproc (sched_getaffinity, as nproc does).
_ru=; _eu=; _rg=; _eg=; _cpus=
while read -r _k _x _y _; do
	case $_k in Uid:) _ru=$_x _eu=$_y;; Gid:) _rg=$_x _eg=$_y;; Cpus_allowed_list:) _cpus=$_x; break;; esac
done 2>/dev/null </proc/self/status
[ -n "$_eu" ] && [ -n "$_eg" ] || { _ru=$(id -ru) _eu=$(id -u) _rg=$(id -rg) _eg=$(id -g); }

# lvmreports: what vgs, lvs and pvs with Ansible's options tell it, from
# one lvm fullreport (lvm 2.02.158 and later): one start and one scan of the
# devices instead of three, with the columns Ansible reads from the default
# reports (an lvm.conf that changes those reports' columns changes what
# Ansible reads, not this). Where fullreport fails, the three reports come
# from one lvm shell (which starts once, but scans for each; each report's
# own separator tells its rows apart, and the controller puts Ansible's
# commas back), else one by one. Without HOME the shell keeps no
# ~/.lvm_history (gathering facts must leave the host as it was).
lvmreports() {
	if has lvm; then
		_ls=$(lvm fullreport --reportformat json --units g --nosuffix \
			--configreport vg -o vg_name,pv_count,lv_count,vg_size,vg_free \
			--configreport lv -o lv_name,vg_name,lv_size \
			--configreport pv -o pv_name,vg_name,pv_size,pv_free \
			--configreport pvseg -o pv_uuid -S 'pv_uuid=""' \
			--configreport seg -o lv_uuid -S 'lv_uuid=""' 2>/dev/null)
		case $? in 0) sec "cmd lvm-fullreport"; printf '%s\n' "$_ls"; return 0;; esac
	fi
	_lo='--noheadings --nosuffix --units g'
	if has lvm && has lvs && has pvs; then
		_ls=$(printf '%s\n' "vgs $_lo --separator @gorun-vgs@" "lvs $_lo --separator @gorun-lvs@" \
			"pvs $_lo --separator @gorun-pvs@" version | (unset HOME; exec lvm) 2>/dev/null)
		case $_ls in *"LVM version:"*) sec "cmd lvm"; printf '%s\n' "$_ls"; return 0;; esac
	fi
	for l in vgs lvs pvs; do has $l && c "$l" $l $_lo --separator ,; done
}
# block devices (get_device_facts)
devfacts() {
	has lspci && c lspci lspci -D
	for d in /dev/disk/by-id /dev/disk/by-uuid /dev/disk/by-label; do
		[ -d "$d" ] && c "linkdir $d" ls -l "$d"
	done
	sec masters; for s in /sys/block/*/slaves/*; do [ -e "$s" ] && echo "$s"; done
	# One ls -l for the links and the names, in directory order (-U), the
	# order Ansible's glob sees; sorted where ls has no -U.
	_bl=$(ls -lU /sys/block/ 2>/dev/null) || _bl=$(ls -l /sys/block/ 2>/dev/null); _r=$?
	sec "cmd blocklinks"; printf '%s\n' "$_bl"; sec "rc blocklinks"; printf %s "$_r"
	_bs=; _old=$IFS; IFS='
'; set -f
	for _x in $_bl; do case $_x in l*" -> "*) _x=${_x% -> *}; _bs="$_bs ${_x##* }";; esac; done
	set +f; IFS=$_old
	for b in $_bs; do
		s=/sys/block/$b
		sec "block $b"
		# The device's entries (one glob; the controller takes their names),
		# then its holders and those of its partitions (the directories
		# named after it), whose dm names one grep reads with the rest.
		set -- "$s"/*
		sec "blockdir $b"; [ -e "$1" ] && printf '%s\n' "$@"
		_A="$_A $s/device/vendor $s/device/model $s/device/sas_address $s/device/sas_device_handle"
		_A="$_A $s/device/serial $s/removable $s/queue/discard_granularity $s/queue/rotational"
		_A="$_A $s/queue/scheduler $s/size $s/queue/logical_block_size $s/queue/hw_sector_size"
		for h in "$s"/holders/*; do holder "$h"; done
		for p; do
			case ${p##*/} in "$b"*) [ -d "$p" ] || continue;; *) continue;; esac
			_A="$_A $p/start $p/size $p/queue/logical_block_size $p/queue/hw_sector_size"
			for h in "$p"/holders/*; do holder "$h"; done
		done
	done
}
holder() { [ -e "$1" ] || return 0; sec "holder $1"; [ -f "$1/dm/name" ] && _A="$_A $1/dm/name"; return 0; }
netfacts() {
	# Ansible's four questions to ip from one ip (-batch; -force goes on
	# past a route that does not exist), whose answer the controller
	# splits; an ip without -batch (busybox) is asked them one by one.
	_ip=$(ip -force -batch - 2>/dev/null <<EOI
route get 8.8.8.8
route get 2404:6800:400a:800::1012
addr show primary
addr show secondary
EOI
)
	if [ -n "$_ip" ]; then
		sec "cmd ipbatch"; printf '%s\n' "$_ip"; sec "rc ipbatch"; printf 0
	else
		c route4 ip -4 route get 8.8.8.8
		c route6 ip -6 route get 2404:6800:400a:800::1012
		# Ansible falls back to plain "ip addr show" where "primary" is
		# not understood (busybox ip)
		c primary ip addr show primary
		[ "$_r" = 0 ] || c addrs ip addr show
		c secondary ip addr show secondary
	fi
	# ls -U keeps the directory order, which is the order Ansible's glob sees.
	for d in $(ls -U /sys/class/net 2>/dev/null || ls /sys/class/net); do
		p=/sys/class/net/$d
		[ -d "$p" ] || continue
		sec "iface $d"
		_A="$_A $p/address $p/mtu $p/operstate $p/type $p/speed $p/flags $p/bridge/bridge_id"
		_A="$_A $p/bridge/stp_state $p/bonding/slaves $p/bonding/mode $p/bonding/miimon $p/bonding/lacp_rate"
		_A="$_A $p/bonding/primary $p/bonding/all_slaves_active $p/bonding_slave/perm_hwaddr"
		[ -e "$p/device/driver/module" ] && real "$p/device/driver/module"
		[ -e "$p/device" ] && lnk "$p/device"
		[ -e "$p/bridge" ] && { sec "brif $d"; ls -U "$p/brif" 2>/dev/null || ls "$p/brif" 2>/dev/null; }
		[ -e "$p/bonding" ] && sec "bonding $d"
	done
}
mountfacts() {
	has findmnt && c findmnt findmnt --list --noheadings --notruncate
	has lsblk && c lsblk lsblk --list --noheadings --paths --output NAME,UUID --exclude 2
	# statvfs of every real mount in one stat, under timeout where a file
	# system may hang it (a network or FUSE mount; local ones answer from
	# memory), and then again mount by mount if it timed out
	_m= _mt=/etc/mtab _tmo=
	[ -r "$_mt" ] || _mt=/proc/mounts
	while read -r dev mnt type rest; do
		case $dev in /*|\\*|*:/*) ;; *) continue;; esac
		case $type in
		ext[234]|xfs|btrfs|vfat|exfat|f2fs|jfs|reiserfs|zfs|overlay|squashfs|iso9660|udf|erofs|nilfs2|bcachefs) ;;
		*) _tmo=tmo;;
		esac
		case $mnt in *\\*) mnt=$(printf '%b' "$(printf %s "$mnt" | sed 's/\\\([0-7][0-7][0-7]\)/\\0\1/g')");; esac
		_m="$_m$mnt
"
	done 2>/dev/null <"$_mt"
	sec statvfs
	_old=$IFS; IFS='
'
	$_tmo stat -f -c '%S %s %b %a %c %d	%n' $_m 2>/dev/null
	if [ $? = 124 ]; then for m in $_m; do tmo stat -f -c '%S %s %b %a %c %d	%n' "$m" 2>/dev/null; done; fi
	IFS=$_old
}
# Ansible asks rpm whether apt-get is an rpm package (APT-RPM); on a Debian
# host with rpm installed that query creates rpm's database in root's home,
# so it is only asked when a database exists (without one no package
# provides anything, and the answer is the same).
rpmapt() { [ -d "$(/usr/bin/rpm -E %_dbpath 2>/dev/null)" ] && /usr/bin/rpm -q --whatprovides /usr/bin/apt-get; }
# datefacts: now, and noon on the 1st of January and of July of this year
# (whose zones tell the DST name), from one GNU date reading its dates from
# stdin; the controller works out UTC from the epoch. A date without -f
# (busybox) is asked three times.
_df='+%Y|%m|%A|%w|%W|%d|%H|%M|%S|%s|%Z|%z|%N'
datefacts() {
	_d=$(date -f - "$_df" 2>/dev/null <<EOD
now
jan 1 12:00
jul 1 12:00
EOD
); _r=$?
	if [ "$_r" = 0 ]; then sec "cmd dates"; printf '%s\n' "$_d"; sec "rc dates"; printf %s "$_r"; return 0; fi
	_d=$(date "$_df" 2>/dev/null); _r=$?
	sec "cmd date"; printf '%s\n' "$_d"; sec "rc date"; printf %s "$_r"
	y=${_d%%|*}
	c tz-jan date -d "$y-01-01 12:00" '+%Z %z'
	c tz-jul date -d "$y-07-01 12:00" '+%Z %z'
}
# The commands that mostly wait (LVM's reports read every block device
# with direct I/O and then wait for the kernel to tear their async I/O
# down, tens of milliseconds without CPU) or start many processes run in
# two lanes beside the rest of the script, each lane's sections read by a
# command substitution of its own (no temporary files to read and remove):
# laneL is LVM first, then lsb_release and rpm; laneD the block devices,
# mounts and interfaces, whose sysfs files one grep reads.
laneL() {
	want hardware && [ "$_eu" = 0 ] && has vgs && lvmreports
	{ want lsb || want distribution; } && has lsb_release && c lsb_release lsb_release -a
	want pkg_mgr && [ -e /usr/bin/rpm ] && c rpm-apt rpmapt
	sec lane-end
}
laneD() {
	_A=
	want hardware && { mountfacts; devfacts; }
	want network && has ip && netfacts
	a $_A
	sec lane-end
}
# fgfacts: everything else, whose files one grep reads at the end.
fgfacts() {
	exists /proc/xen /sys/hypervisor/type /proc/vz /proc/lve /proc/bc /.dockerenv /.dockerinit \
		/proc/modules /dev/kvm /rhev /sys/kernel/security/apparmor /run/systemd/system/ /dev/.run/systemd/ \
		/dev/.systemd/ /etc/init/ /sbin/openrc /etc/init.d/ /run/ostree-booted /etc/mtab \
		/usr/bin/rpm-ostree /usr/bin/yum /usr/bin/dnf /usr/bin/apt-get /usr/bin/zypper /usr/sbin/urpmi \
		/usr/bin/pacman /bin/opkg /usr/pkg/bin/pkgin /opt/local/bin/pkgin /opt/tools/bin/pkgin \
		/opt/local/bin/port /usr/local/bin/brew /opt/homebrew/bin/brew /sbin/apk /usr/sbin/pkg \
		/usr/sbin/swlist /usr/bin/emerge /usr/sbin/pkgadd /usr/bin/pkg /usr/bin/xbps-install \
		/usr/local/sbin/pkg /usr/bin/swupd /usr/sbin/sorcery /usr/bin/installp /QOpenSys/pkgs/bin/yum \
		/usr/bin/rpm /etc/arch-release /etc/vmware-release /sys/fs/selinux/enforce "$FP"
	sec bins; for b in systemctl initctl lsb_release capsh ip findmnt lsblk dpkg; do has "$b" && echo "$b"; done

	if want platform; then
		# What uname -snrvm says, as the kernel shows it under /proc/sys/kernel
		# (the machine since Linux 6.1); uname where a file is missing.
		_u=; for _k in ostype hostname osrelease version arch; do
			read -r _x </proc/sys/kernel/$_k && _u="$_u${_u:+ }$_x" || { _u=; break; }
		done 2>/dev/null
		if [ -n "$_u" ]; then _r=0; else _u=$(uname -snrvm 2>/dev/null); _r=$?; fi
		sec "cmd uname"; printf '%s\n' "$_u"; sec "rc uname"; printf %s "$_r"
		c long-bit getconf LONG_BIT
		if has getent; then
			# The first word of getent's answer is the first address (uname -n
			# is the second word of uname's).
			set -f; set -- $_u; a=; [ -n "$2" ] && set -- $(getent ahosts "$2" 2>/dev/null) && a=$1; set +f
			[ -n "$a" ] && c hostbyaddr getent hosts "$a"
		fi
		f /var/lib/dbus/machine-id /etc/machine-id
	fi
	if want distribution; then
		# Every /etc/*-release and *_version file: Ansible's list and the distro
		# library's "distro release file" search both read from them.
		f /etc/os-release /usr/lib/os-release /etc/*[-_]release /etc/*[-_]version /etc/coreos/update.conf
		lnk /etc/products.d/baseproduct && real /etc/products.d/baseproduct
		# Ansible asks dpkg for Debian's codename only when os-release has
		# none (the shell reads the file itself: it is a few lines).
		_cn=; while IFS= read -r _x || [ -n "$_x" ]; do
			case $_x in VERSION_CODENAME=*|UBUNTU_CODENAME=*) _cn=1; break;; esac
		done 2>/dev/null </etc/os-release
		if has dpkg && [ -z "$_cn" ]; then
			sec dpkg-tzdata; dpkg --status tzdata 2>/dev/null | grep Provides | cut -f2 -d'-'
		fi
	fi
	if want lsb || want distribution; then f /etc/lsb-release; fi
	if want selinux; then f /sys/fs/selinux/enforce /sys/fs/selinux/policyvers /etc/selinux/config; fi
	if want chroot; then
		sec chroot-env; printf %s "${debian_chroot:-}"
		# chroot.py compares the device and inode of / and /proc/1/root/.,
		# as the shell's test -ef does; where /proc/1/root cannot be read, the
		# file system type of / tells which inode a real root has.
		if [ -e /proc/1/root/. ] && [ / -ef / ] 2>/dev/null; then
			sec roots; if [ / -ef /proc/1/root/. ]; then echo same; else echo differ; fi
		else
			c stat-roots stat -c '%d %i' /
			c statfs-root stat -f --format=%T /
		fi
	fi
	want fips && f /proc/sys/crypto/fips_enabled
	want caps && has capsh && c capsh capsh --print
	if want service_mgr; then
		f /proc/1/comm
		[ -r /proc/1/comm ] || c ps1 sh -c 'ps -p 1 -o comm|tail -n 1'
		lnk /sbin/init
	fi
	want cmdline && f /proc/cmdline
	want date_time && datefacts
	want env && { sec env; cat /proc/self/environ 2>/dev/null || env; }
	want loadavg && f /proc/loadavg
	if want ssh_pub_keys; then
		for d in /etc/ssh /etc/openssh /etc; do for a in dsa rsa ecdsa ed25519; do f "$d/ssh_host_${a}_key.pub"; done; done
	fi
	if want user; then
		u=${LOGNAME:-${USER:-${LNAME:-${USERNAME:-$(id -un 2>/dev/null)}}}}
		sec user; printf '%s\n%s\n%s\n%s\n%s\n' "$u" "$_eu" "$_eg" "$_ru" "$_rg"
		sec passwd; { getent passwd "$u" || getent passwd "$_eu" || grep "^$u:" /etc/passwd; } 2>/dev/null
	fi
	if want hardware || want virtual; then
		f /proc/cpuinfo
		for k in bios_date bios_vendor bios_version board_asset_tag board_name board_serial board_vendor \
			board_version chassis_asset_tag chassis_serial chassis_vendor chassis_version chassis_type \
			product_name product_serial product_uuid product_version sys_vendor product_family; do
			f "/sys/devices/virtual/dmi/id/$k"
		done
	fi
	if want hardware; then
		f /sys/hypervisor/type /proc/meminfo /proc/uptime
		if [ -n "$_cpus" ]; then sec cpus-allowed; printf %s "$_cpus"; else has nproc && c nproc nproc; fi
		if [ -e /etc/mtab ]; then f /etc/mtab; else f /proc/mounts; fi
	fi
	if want virtual; then
		f /proc/1/cgroup /proc/1/environ /run/systemd/container /proc/xen/capabilities /proc/self/status /proc/modules
	fi
	want dns && f /etc/resolv.conf
	want fibre_channel_wwn && f /sys/class/fc_host/*/port_name
	want iscsi && f /etc/iscsi/initiatorname.iscsi
	want nvme && f /etc/nvme/hostnqn
	if want local && [ -d "$FP" ]; then
		for p in "$FP"/*.fact; do
			[ -e "$p" ] || continue
			if [ -x "$p" ]; then
				e=$(mktemp 2>/dev/null || echo /dev/null)
				sec "local-exec $p"; "$p" 2>"$e"; r=$?
				sec "local-rc $p"; printf %s "$r"
				sec "local-err $p"; cat "$e" 2>/dev/null; [ "$e" = /dev/null ] || rm -f "$e"
			else
				sec "local-file $p"; cat "$p" 2>/dev/null
			fi
		done
	fi
	if [ -n "$_F" ]; then
		sec attrs; printf %s "$_F"
		sec attrdata; _old=$IFS; IFS='
'; set -f; grep -a -H '' -- $_F 2>/dev/null; set +f; IFS=$_old
	fi
}

# The foreground's sections go to the script's stdout (descriptor 5)
# while the lanes' fill the substitutions; a lane's are printed once it has
# ended (the last newlines a substitution drops belong to its lane-end).
exec 5>&1
_lanes=$(laneL 5>&- & _d=$(laneD 5>&- & fgfacts >&5; wait); wait; printf '%s\n' "$_d")
exec 5>&-
printf '%s\n' "$_lanes"
sec end
