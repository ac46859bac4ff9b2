package network

import (
	"fmt"
	"net/netip"
	"sort"
)

// Addressing of the mirror: Site Recovery keeps a VM's private IP when the
// recovery subnet has the same range, so by default the recovery and test
// networks reuse the primary's address space. recovery_address_space moves
// the mirror to other ranges block by block: each primary block maps to the
// recovery block at the same position, which must have the same size, and a
// subnet keeps its offset inside its block.

// subnetSpec is one subnet of a network, by name.
type subnetSpec struct {
	Name   string
	Prefix string
}

// parseBlocks parses CIDR blocks, refusing host bits (10.0.0.1/16), as ARM does.
func parseBlocks(blocks []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(blocks))
	for _, b := range blocks {
		p, err := netip.ParsePrefix(b)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR block such as 10.1.0.0/16", b)
		}
		if p.Masked() != p {
			return nil, fmt.Errorf("%q has host bits set: use %s", b, p.Masked())
		}
		out = append(out, p)
	}
	return out, nil
}

// overlapping returns a pair of overlapping blocks, if any.
func overlapping(blocks []netip.Prefix) (netip.Prefix, netip.Prefix, bool) {
	for i := range blocks {
		for j := i + 1; j < len(blocks); j++ {
			if blocks[i].Overlaps(blocks[j]) {
				return blocks[i], blocks[j], true
			}
		}
	}
	return netip.Prefix{}, netip.Prefix{}, false
}

// checkRecoverySpace checks that the override can hold the primary's layout.
func checkRecoverySpace(primary, recovery []string) error {
	p, err := parseBlocks(primary)
	if err != nil {
		return fmt.Errorf("primary address space: %w", err)
	}
	r, err := parseBlocks(recovery)
	if err != nil {
		return err
	}
	if a, b, ok := overlapping(r); ok {
		return fmt.Errorf("blocks %s and %s overlap", a, b)
	}
	if len(p) != len(r) {
		return fmt.Errorf("the primary network has %d address block(s) (%v) and recovery_address_space %d: give one recovery block per primary block", len(p), primary, len(r))
	}
	for i := range p {
		if p[i].Bits() != r[i].Bits() || p[i].Addr().Is4() != r[i].Addr().Is4() {
			return fmt.Errorf("recovery block %s must have the size of primary block %s (/%d)", r[i], p[i], p[i].Bits())
		}
	}
	return nil
}

// mirrorSubnets returns the mirror's subnets: the primary's, moved into the
// recovery space when one is given. GatewaySubnet is left out when
// skipGateway (the isolated test network must have no gateway).
func mirrorSubnets(primarySpace, recoverySpace []string, subnets []subnetSpec, skipGateway bool) ([]subnetSpec, error) {
	var p, r []netip.Prefix
	if len(recoverySpace) > 0 {
		if err := checkRecoverySpace(primarySpace, recoverySpace); err != nil {
			return nil, err
		}
		p, _ = parseBlocks(primarySpace)
		r, _ = parseBlocks(recoverySpace)
	}
	out := make([]subnetSpec, 0, len(subnets))
	for _, s := range subnets {
		if skipGateway && s.Name == gatewaySubnetName {
			continue
		}
		prefix := s.Prefix
		if r != nil {
			moved, err := translate(s.Prefix, p, r)
			if err != nil {
				return nil, fmt.Errorf("subnet %s: %w", s.Name, err)
			}
			prefix = moved
		}
		out = append(out, subnetSpec{Name: s.Name, Prefix: prefix})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// translate keeps prefix's offset within its primary block in the recovery block.
func translate(prefix string, primary, recovery []netip.Prefix) (string, error) {
	sp, err := netip.ParsePrefix(prefix)
	if err != nil {
		return "", fmt.Errorf("%q is not a CIDR block", prefix)
	}
	for i, block := range primary {
		if !block.Contains(sp.Addr()) || sp.Bits() < block.Bits() {
			continue
		}
		from, to := block.Addr().AsSlice(), recovery[i].Addr().AsSlice()
		addr := sp.Addr().AsSlice()
		for k := range addr {
			// Inside the block only the host part differs; swap the network part.
			addr[k] = addr[k] - from[k] + to[k]
		}
		moved, _ := netip.AddrFromSlice(addr)
		return netip.PrefixFrom(moved, sp.Bits()).String(), nil
	}
	return "", fmt.Errorf("%s lies outside the primary address space", prefix)
}
