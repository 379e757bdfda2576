package main

import (
	"reflect"
	"testing"
)

func TestShardSplitsDeterministically(t *testing.T) {
	hosts := []string{"web3", "db1", "web1", "cache1", "web2", "db2", "mon1"}
	reversed := []string{"mon1", "db2", "web2", "cache1", "web1", "db1", "web3"}
	seen := map[string]int{}
	for i := 1; i <= 3; i++ {
		a, b := shardOf(hosts, i, 3), shardOf(reversed, i, 3)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("shard %d/3 depends on host order: %v vs %v", i, a, b)
		}
		if len(a) < 2 || len(a) > 3 {
			t.Errorf("shard %d/3 has %d hosts, want 2 or 3", i, len(a))
		}
		for _, h := range a {
			seen[h]++
		}
	}
	for _, h := range hosts {
		if seen[h] != 1 {
			t.Errorf("%s is in %d shards, want exactly 1", h, seen[h])
		}
	}
	if got := shardOf(hosts, 1, 1); len(got) != len(hosts) {
		t.Errorf("1/1 should keep every host, got %v", got)
	}
}

func TestParseShard(t *testing.T) {
	if i, n, err := parseShard("2/5"); err != nil || i != 2 || n != 5 {
		t.Errorf("2/5: %d %d %v", i, n, err)
	}
	for _, bad := range []string{"0/3", "4/3", "1", "a/b", "1/0", ""} {
		if _, _, err := parseShard(bad); err == nil {
			t.Errorf("%q should be rejected", bad)
		}
	}
}
