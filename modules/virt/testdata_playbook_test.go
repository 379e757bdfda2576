package virt

// differentialPlaybook is written for community.libvirt's virt, virt_net and
// virt_pool; the test runs it unchanged under ansible-playbook and gorun.
// NAME is replaced by a name unique to the test run.
const differentialPlaybook = `
- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    uri: test+unix:///default
    vm: NAME-vm
    net: NAME-net
    pool: NAME-pool
    domxml: |
      <domain type='test'>
        <name>NAME-vm</name>
        <memory unit='KiB'>65536</memory>
        <vcpu>1</vcpu>
        <os><type arch='x86_64'>hvm</type></os>
      </domain>
    domxml2: |
      <domain type='test'>
        <name>NAME-vm</name>
        <memory unit='KiB'>131072</memory>
        <vcpu>2</vcpu>
        <os><type arch='x86_64'>hvm</type></os>
      </domain>
    netxml: |
      <network>
        <name>NAME-net</name>
        <bridge name='NAME-br'/>
        <forward mode='nat'/>
        <domain name='example.test'/>
        <ip address='192.168.150.1' netmask='255.255.255.0'>
          <dhcp><range start='192.168.150.2' end='192.168.150.254'/></dhcp>
        </ip>
      </network>
    poolxml: |
      <pool type='dir'>
        <name>NAME-pool</name>
        <target><path>/tmp/NAME-pool</path></target>
      </pool>
  tasks:
    - {community.libvirt.virt: {command: define, xml: "{{ domxml }}", uri: "{{ uri }}"}, register: r01}
    - {community.libvirt.virt: {command: define, xml: "{{ domxml }}", uri: "{{ uri }}"}, register: r02}
    - {community.libvirt.virt: {name: "{{ vm }}", command: status, uri: "{{ uri }}"}, register: r03}
    - {community.libvirt.virt: {name: "{{ vm }}", state: running, uri: "{{ uri }}"}, register: r04}
    - {community.libvirt.virt: {name: "{{ vm }}", state: running, uri: "{{ uri }}"}, register: r05}
    - {community.libvirt.virt: {command: list_vms, state: running, uri: "{{ uri }}"}, register: r06}
    - {community.libvirt.virt: {name: "{{ vm }}", state: paused, uri: "{{ uri }}"}, register: r07}
    - {community.libvirt.virt: {name: "{{ vm }}", command: status, uri: "{{ uri }}"}, register: r08}
    - {community.libvirt.virt: {name: "{{ vm }}", state: running, uri: "{{ uri }}"}, register: r09}
    - {community.libvirt.virt: {command: info, uri: "{{ uri }}"}, register: r10}
    - {community.libvirt.virt: {name: "{{ vm }}", autostart: true, uri: "{{ uri }}"}, register: r11}
    - {community.libvirt.virt: {name: "{{ vm }}", autostart: true, uri: "{{ uri }}"}, register: r12}
    - {community.libvirt.virt: {name: "{{ vm }}", state: destroyed, uri: "{{ uri }}"}, register: r13}
    - {community.libvirt.virt: {name: "{{ vm }}", state: shutdown, uri: "{{ uri }}"}, register: r14}
    - {community.libvirt.virt: {command: virttype, uri: "{{ uri }}"}, register: r15}
    - {community.libvirt.virt: {command: nodeinfo, uri: "{{ uri }}"}, register: r16}
    - {community.libvirt.virt: {name: "{{ vm }}", command: undefine, uri: "{{ uri }}"}, register: r17}
    - {community.libvirt.virt: {name: "{{ vm }}", command: status, uri: "{{ uri }}"}, register: r18, ignore_errors: true}

    - {community.libvirt.virt_net: {command: define, name: "{{ net }}", xml: "{{ netxml }}", uri: "{{ uri }}"}, register: n01}
    - {community.libvirt.virt_net: {command: define, name: "{{ net }}", xml: "{{ netxml }}", uri: "{{ uri }}"}, register: n02}
    - {community.libvirt.virt_net: {command: status, name: "{{ net }}", uri: "{{ uri }}"}, register: n03}
    - {community.libvirt.virt_net: {state: active, name: "{{ net }}", uri: "{{ uri }}"}, register: n04}
    - {community.libvirt.virt_net: {state: active, name: "{{ net }}", uri: "{{ uri }}"}, register: n05}
    - {community.libvirt.virt_net: {command: list_nets, state: active, uri: "{{ uri }}"}, register: n06}
    - {community.libvirt.virt_net: {command: facts, name: "{{ net }}", uri: "{{ uri }}"}, register: n07, ignore_errors: true}
    - {community.libvirt.virt_net: {autostart: true, name: "{{ net }}", uri: "{{ uri }}"}, register: n08}
    - {community.libvirt.virt_net: {autostart: true, name: "{{ net }}", uri: "{{ uri }}"}, register: n09}
    - {community.libvirt.virt_net: {command: modify, name: "{{ net }}", xml: "<host mac='52:54:00:00:00:01' name='a' ip='192.168.150.10'/>", uri: "{{ uri }}"}, register: n10}
    - {community.libvirt.virt_net: {command: modify, name: "{{ net }}", xml: "<host mac='52:54:00:00:00:01' name='a' ip='192.168.150.10'/>", uri: "{{ uri }}"}, register: n11}
    - {community.libvirt.virt_net: {state: inactive, name: "{{ net }}", uri: "{{ uri }}"}, register: n12}
    - {community.libvirt.virt_net: {command: stop, name: "{{ net }}", uri: "{{ uri }}"}, register: n13}
    - {community.libvirt.virt_net: {state: absent, name: "{{ net }}", uri: "{{ uri }}"}, register: n14}
    - {community.libvirt.virt_net: {state: absent, name: "{{ net }}", uri: "{{ uri }}"}, register: n15}
    - {community.libvirt.virt_net: {command: status, name: "{{ net }}", uri: "{{ uri }}"}, register: n16, ignore_errors: true}

    - {community.libvirt.virt_pool: {command: define, name: "{{ pool }}", xml: "{{ poolxml }}", uri: "{{ uri }}"}, register: p01}
    - {community.libvirt.virt_pool: {command: define, name: "{{ pool }}", xml: "{{ poolxml }}", uri: "{{ uri }}"}, register: p02}
    - {community.libvirt.virt_pool: {command: build, name: "{{ pool }}", uri: "{{ uri }}"}, register: p03}
    - {community.libvirt.virt_pool: {state: active, name: "{{ pool }}", uri: "{{ uri }}"}, register: p04}
    - {community.libvirt.virt_pool: {state: active, name: "{{ pool }}", uri: "{{ uri }}"}, register: p05}
    - {community.libvirt.virt_pool: {command: list_pools, state: active, uri: "{{ uri }}"}, register: p06}
    - {community.libvirt.virt_pool: {command: facts, uri: "{{ uri }}"}, register: p07}
    - {community.libvirt.virt_pool: {command: refresh, name: "{{ pool }}", uri: "{{ uri }}"}, register: p08}
    - {community.libvirt.virt_pool: {autostart: true, name: "{{ pool }}", uri: "{{ uri }}"}, register: p09}
    - {community.libvirt.virt_pool: {state: inactive, name: "{{ pool }}", uri: "{{ uri }}"}, register: p10}
    - {community.libvirt.virt_pool: {command: status, name: "{{ pool }}", uri: "{{ uri }}"}, register: p11}
    - {community.libvirt.virt_pool: {state: absent, name: "{{ pool }}", uri: "{{ uri }}"}, register: p12}
    - {community.libvirt.virt_pool: {state: absent, name: "{{ pool }}", uri: "{{ uri }}"}, register: p13}

    - debug:
        var: results
      vars:
        results:
          vm: ["{{ r01 }}", "{{ r02 }}", "{{ r03 }}", "{{ r04 }}", "{{ r05 }}", "{{ r06 }}", "{{ r07 }}", "{{ r08 }}", "{{ r09 }}", "{{ r10[vm] }}", "{{ r11 }}", "{{ r12 }}", "{{ r13 }}", "{{ r14 }}", "{{ r15 }}", "{{ r16 }}", "{{ r17 }}", "{{ r18.msg }}"]
          net: ["{{ n01 }}", "{{ n02 }}", "{{ n03 }}", "{{ n04 }}", "{{ n05 }}", "{{ n06 }}", "{{ n07.msg }}", "{{ n08 }}", "{{ n09 }}", "{{ n10 }}", "{{ n11 }}", "{{ n12 }}", "{{ n13 }}", "{{ n14 }}", "{{ n15 }}", "{{ n16.msg }}"]
          pool: ["{{ p01 }}", "{{ p02 }}", "{{ p03 }}", "{{ p04 }}", "{{ p05 }}", "{{ p06 }}", "{{ p07.ansible_facts.ansible_libvirt_pools[pool] }}", "{{ p08 }}", "{{ p09 }}", "{{ p10 }}", "{{ p11 }}", "{{ p12 }}", "{{ p13 }}"]
`
