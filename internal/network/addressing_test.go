package network

import (
	"reflect"
	"strings"
	"testing"
)

func TestMirrorSubnetsKeepsAddressesByDefault(t *testing.T) {
	subnets := []subnetSpec{{"web", "10.1.1.0/24"}, {"GatewaySubnet", "10.1.255.0/27"}, {"db", "10.1.2.0/24"}}
	got, err := mirrorSubnets([]string{"10.1.0.0/16"}, nil, subnets, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []subnetSpec{{"GatewaySubnet", "10.1.255.0/27"}, {"db", "10.1.2.0/24"}, {"web", "10.1.1.0/24"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	test, _ := mirrorSubnets([]string{"10.1.0.0/16"}, nil, subnets, true)
	for _, s := range test {
		if s.Name == "GatewaySubnet" {
			t.Fatal("the test network must not get a gateway subnet")
		}
	}
}

func TestMirrorSubnetsMovesIntoRecoverySpace(t *testing.T) {
	got, err := mirrorSubnets([]string{"10.1.0.0/16", "192.168.4.0/22"}, []string{"10.2.0.0/16", "172.16.8.0/22"},
		[]subnetSpec{{"web", "10.1.1.0/24"}, {"mgmt", "192.168.5.128/25"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []subnetSpec{{"mgmt", "172.16.9.128/25"}, {"web", "10.2.1.0/24"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestRecoverySpaceMustFitThePrimary(t *testing.T) {
	cases := map[string]struct {
		primary, recovery []string
		want              string
	}{
		"count":     {[]string{"10.1.0.0/16"}, []string{"10.2.0.0/16", "10.3.0.0/16"}, "one recovery block per primary block"},
		"size":      {[]string{"10.1.0.0/16"}, []string{"10.2.0.0/24"}, "must have the size"},
		"host bits": {[]string{"10.1.0.0/16"}, []string{"10.2.0.1/16"}, "host bits"},
		"garbage":   {[]string{"10.1.0.0/16"}, []string{"ten"}, "not a CIDR"},
		"overlap":   {[]string{"10.1.0.0/16", "10.9.0.0/16"}, []string{"10.2.0.0/16", "10.2.0.0/16"}, "overlap"},
	}
	for name, tc := range cases {
		err := checkRecoverySpace(tc.primary, tc.recovery)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want %q, got %v", name, tc.want, err)
		}
	}
}
