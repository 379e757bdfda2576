module gorun

go 1.26.8

require gopkg.in/yaml.v3 v3.0.1

require (
	github.com/spf13/pflag v1.1.0
	golang.org/x/sys v0.50.0
	golang.org/x/term v0.48.0
)

require (
	github.com/GehirnInc/crypt v0.0.0-20230320061759-8cc1b52080c5
	github.com/creack/pty v1.1.24
	github.com/dlclark/regexp2 v1.12.0
	github.com/google/shlex v0.0.0-20191202100458-e7afc7fbc510
	github.com/google/uuid v1.6.0
	github.com/kevinburke/ssh_config v1.6.0
	github.com/pkg/sftp v1.13.12
	golang.org/x/crypto v0.59.0
)

require (
	github.com/clipperhouse/uax29/v2 v2.2.0 // indirect
	github.com/digitalocean/go-libvirt v0.0.0-20261013170128-efbbdf578ac8 // indirect
	github.com/kdomanski/iso9660 v0.4.0 // indirect
	libvirt.org/go/libvirtxml v1.12008.0 // indirect
)

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/jmespath/go-jmespath v0.4.0
	github.com/kr/fs v0.1.0 // indirect
	github.com/mattn/go-runewidth v0.0.31
	github.com/pmezard/go-difflib v1.0.0
)
