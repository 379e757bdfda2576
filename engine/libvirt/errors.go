package libvirt

import (
	"errors"

	golibvirt "github.com/digitalocean/go-libvirt"
)

// HasCode reports whether err is a libvirt error with code.
func HasCode(err error, code golibvirt.ErrorNumber) bool {
	var e golibvirt.Error
	return errors.As(err, &e) && e.Code == uint32(code)
}

// IsNoDomain reports whether err says the domain does not exist.
func IsNoDomain(err error) bool { return HasCode(err, golibvirt.ErrNoDomain) }

// IsNoNetwork reports whether err says the network does not exist.
func IsNoNetwork(err error) bool { return HasCode(err, golibvirt.ErrNoNetwork) }

// IsNoPool reports whether err says the storage pool does not exist.
func IsNoPool(err error) bool { return HasCode(err, golibvirt.ErrNoStoragePool) }

// IsNoVolume reports whether err says the storage volume does not exist.
func IsNoVolume(err error) bool { return HasCode(err, golibvirt.ErrNoStorageVol) }
