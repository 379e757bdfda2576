package virt

import (
	"fmt"
	"strings"

	"libvirt.org/go/libvirtxml"

	"gorun/engine/module"
)

// guestSpec is the declarative description of a guest, from the options.
type guestSpec struct {
	name, domainType, machine, cpuModel string
	memoryMiB, vcpus                    int
	disks                               []map[string]any
	nics                                []map[string]any
	cloudinit                           map[string]any
	kernel, initrd, cmdline, graphics   string
	consoleLog                          string
}

func guestSpecFrom(a module.Args) guestSpec {
	s := guestSpec{
		name: a.String("name"), domainType: a.String("domain_type"), machine: a.String("machine"),
		cpuModel: a.String("cpu_model"), memoryMiB: a.Int("memory"), vcpus: a.Int("vcpus"),
		kernel: a.String("kernel"), initrd: a.String("initrd"), cmdline: a.String("cmdline"),
		graphics: a.String("graphics"), consoleLog: a.String("console_log"),
	}
	for _, d := range a.List("disks") {
		m, _ := toMap(d)
		s.disks = append(s.disks, m)
	}
	for _, n := range a.List("nics") {
		m, _ := toMap(n)
		s.nics = append(s.nics, m)
	}
	s.cloudinit = a.Dict("cloudinit")
	return s
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// domainXML generates the domain's XML. macs are the MAC addresses of the
// existing guest's NICs, used for NICs that name none, so that redefining
// the guest keeps its addresses (libvirt would draw new ones).
func (s guestSpec) domainXML(uuid string, macs []string) (string, error) {
	dom := libvirtxml.Domain{
		Type: s.domainType, Name: s.name, UUID: uuid,
		Memory:        &libvirtxml.DomainMemory{Value: uint(s.memoryMiB) * 1024, Unit: "KiB"},
		CurrentMemory: &libvirtxml.DomainCurrentMemory{Value: uint(s.memoryMiB) * 1024, Unit: "KiB"},
		VCPU:          &libvirtxml.DomainVCPU{Placement: "static", Value: uint(s.vcpus)},
		OS: &libvirtxml.DomainOS{
			Type:   &libvirtxml.DomainOSType{Arch: "x86_64", Machine: s.machine, Type: "hvm"},
			Kernel: s.kernel, Initrd: s.initrd, Cmdline: s.cmdline,
		},
		Features: &libvirtxml.DomainFeatureList{ACPI: &libvirtxml.DomainFeature{}, APIC: &libvirtxml.DomainFeatureAPIC{}},
		Devices:  &libvirtxml.DomainDeviceList{},
	}
	if s.kernel == "" {
		dom.OS.BootDevices = []libvirtxml.DomainBootDevice{{Dev: "hd"}}
	}
	switch s.cpuModel {
	case "host-passthrough", "host-model":
		dom.CPU = &libvirtxml.DomainCPU{Mode: s.cpuModel}
	case "":
	default:
		dom.CPU = &libvirtxml.DomainCPU{Mode: "custom", Match: "exact", Model: &libvirtxml.DomainCPUModel{Value: s.cpuModel}}
	}
	devs := dom.Devices
	for i, d := range s.disks {
		disk, err := diskXML(d, i)
		if err != nil {
			return "", err
		}
		devs.Disks = append(devs.Disks, disk)
	}
	if s.cloudinit != nil {
		bus, dev := "sata", "sda"
		if s.machine != "" && !strings.Contains(s.machine, "q35") {
			bus, dev = "ide", "hdc"
		}
		devs.Disks = append(devs.Disks, libvirtxml.DomainDisk{
			Device: "cdrom",
			Driver: &libvirtxml.DomainDiskDriver{Name: "qemu", Type: "raw"},
			Source: &libvirtxml.DomainDiskSource{Volume: &libvirtxml.DomainDiskSourceVolume{Pool: str(s.cloudinit, "pool"), Volume: str(s.cloudinit, "volume")}},
			Target: &libvirtxml.DomainDiskTarget{Dev: dev, Bus: bus}, ReadOnly: &libvirtxml.DomainDiskReadOnly{},
		})
	}
	for i, n := range s.nics {
		nic := libvirtxml.DomainInterface{Source: &libvirtxml.DomainInterfaceSource{}, Model: &libvirtxml.DomainInterfaceModel{Type: "virtio"}}
		if m := str(n, "model"); m != "" {
			nic.Model.Type = m
		}
		switch {
		case str(n, "network") != "":
			nic.Source.Network = &libvirtxml.DomainInterfaceSourceNetwork{Network: str(n, "network")}
		case str(n, "bridge") != "":
			nic.Source.Bridge = &libvirtxml.DomainInterfaceSourceBridge{Bridge: str(n, "bridge")}
		default:
			return "", fmt.Errorf("nics[%d]: network or bridge is required", i)
		}
		mac := strings.ToLower(str(n, "mac"))
		if mac == "" && i < len(macs) {
			mac = macs[i]
		}
		if mac != "" {
			nic.MAC = &libvirtxml.DomainInterfaceMAC{Address: mac}
		}
		devs.Interfaces = append(devs.Interfaces, nic)
	}
	port := uint(0)
	devs.Serials = []libvirtxml.DomainSerial{{Source: &libvirtxml.DomainChardevSource{Pty: &libvirtxml.DomainChardevSourcePty{}}, Target: &libvirtxml.DomainSerialTarget{Port: &port}}}
	if s.consoleLog != "" {
		// virtlogd keeps what the guest writes to its serial console, so a
		// guest that never comes up can be diagnosed afterwards.
		devs.Serials[0].Log = &libvirtxml.DomainChardevLog{File: s.consoleLog, Append: "on"}
	}
	devs.Consoles = []libvirtxml.DomainConsole{{Source: &libvirtxml.DomainChardevSource{Pty: &libvirtxml.DomainChardevSourcePty{}}, Target: &libvirtxml.DomainConsoleTarget{Type: "serial", Port: &port}}}
	// The guest agent's channel: gorun.kvm.guest_address asks the agent for addresses.
	devs.Channels = []libvirtxml.DomainChannel{{
		Source: &libvirtxml.DomainChardevSource{UNIX: &libvirtxml.DomainChardevSourceUNIX{Mode: "bind"}},
		Target: &libvirtxml.DomainChannelTarget{VirtIO: &libvirtxml.DomainChannelTargetVirtIO{Name: "org.qemu.guest_agent.0"}},
	}}
	if s.graphics == "vnc" {
		devs.Graphics = []libvirtxml.DomainGraphic{{VNC: &libvirtxml.DomainGraphicVNC{AutoPort: "yes", Listen: "127.0.0.1"}}}
	}
	x, err := dom.Marshal()
	// libvirt chooses the agent socket's path and does not keep the bare
	// source in the inactive XML; leaving it out keeps the XML comparable.
	return strings.Replace(x, `<source mode="bind"></source>`, "", 1), err
}

// diskXML is one entry of the disks option.
func diskXML(d map[string]any, i int) (libvirtxml.DomainDisk, error) {
	disk := libvirtxml.DomainDisk{Device: "disk", Driver: &libvirtxml.DomainDiskDriver{Name: "qemu"}, Source: &libvirtxml.DomainDiskSource{}}
	if f := str(d, "format"); f != "" {
		disk.Driver.Type = f
	} else {
		disk.Driver.Type = "qcow2"
	}
	switch {
	case str(d, "volume") != "":
		pool := str(d, "pool")
		if pool == "" {
			return disk, fmt.Errorf("disks[%d]: pool is required with volume", i)
		}
		disk.Source.Volume = &libvirtxml.DomainDiskSourceVolume{Pool: pool, Volume: str(d, "volume")}
	case str(d, "path") != "":
		disk.Source.File = &libvirtxml.DomainDiskSourceFile{File: str(d, "path")}
	default:
		return disk, fmt.Errorf("disks[%d]: volume (with pool) or path is required", i)
	}
	dev := str(d, "target")
	if dev == "" {
		dev = "vd" + string(rune('a'+i))
	}
	bus := str(d, "bus")
	if bus == "" {
		bus = "virtio"
	}
	disk.Target = &libvirtxml.DomainDiskTarget{Dev: dev, Bus: bus}
	if b, _ := d["readonly"].(bool); b {
		disk.ReadOnly = &libvirtxml.DomainDiskReadOnly{}
	}
	return disk, nil
}

// interfaceMACs lists the MAC addresses of a domain's NICs, in order.
func interfaceMACs(x string) []string {
	var dom libvirtxml.Domain
	if dom.Unmarshal(x) != nil || dom.Devices == nil {
		return nil
	}
	var macs []string
	for _, nic := range dom.Devices.Interfaces {
		if nic.MAC != nil {
			macs = append(macs, nic.MAC.Address)
		} else {
			macs = append(macs, "")
		}
	}
	return macs
}
