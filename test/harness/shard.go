package harness

import (
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"strconv"
	"strings"
)

// Shard is this runner's part of the suites: scenario s runs on shard i of
// n when fnv32(s) mod n == i-1. A fleet splits its suites across CI jobs
// with AZUREDR_SHARD=i/n (or -azuredr.shard=i/n), each job running every
// test and skipping the others' scenarios.
type Shard struct{ Index, Count int }

var shardFlag = flag.String("azuredr.shard", "", "run only the scenarios of shard i of n (i/n); default $AZUREDR_SHARD, else all")

// ParseShard reads "i/n" with 1 <= i <= n.
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{1, 1}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 1 <= i <= n, e.g. 2/4", s)
	}
	return Shard{i, n}, nil
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Has reports whether scenario belongs to the shard.
func (s Shard) Has(scenario string) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(scenario))
	return int(h.Sum32()%uint32(s.Count)) == s.Index-1
}

// currentShard is the flag's shard, else the environment's. Main has
// checked it parses.
func currentShard() Shard {
	v := *shardFlag
	if v == "" {
		v = os.Getenv("AZUREDR_SHARD")
	}
	s, err := ParseShard(v)
	if err != nil {
		return Shard{1, 1}
	}
	return s
}

// InShard reports whether this runner runs scenario.
func InShard(scenario string) bool { return currentShard().Has(scenario) }
