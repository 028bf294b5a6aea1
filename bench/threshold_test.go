package bench

import (
	"strings"
	"testing"
)

func TestParsePercent(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
	}{{"5%", 0.05}, {"0.05", 0.05}, {"0", 0}, {"2.5%", 0.025}, {" 10% ", 0.1}, {"150%", 1.5}} {
		got, err := ParsePercent(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParsePercent(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for in, wantErr := range map[string]string{"abc": "not a percentage", "-5%": "negative", "5": "ambiguous", "1": "ambiguous", "": "not a percentage", "NaN%": "not a percentage", "%": "not a percentage"} {
		if _, err := ParsePercent(in); err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("ParsePercent(%q) error %v, want one saying %q", in, err, wantErr)
		}
	}
}

func TestThresholdsSet(t *testing.T) {
	th := DefaultThresholds()
	for _, spec := range []string{"10%", "B/op=20%", "ns/op=0.5%", "MB/s=1%"} {
		if err := th.Set(spec); err != nil {
			t.Fatalf("Set(%q): %v", spec, err)
		}
	}
	for unit, want := range map[string]float64{"sec/op": 0.005, "B/op": 0.2, "B/s": 0.01, "allocs/op": 0, "custom/op": 0.1} {
		if got := th.For(unit); got != want {
			t.Errorf("For(%q) = %v, want %v", unit, got, want)
		}
	}
	if err := th.Set("=5%"); err == nil {
		t.Error(`Set("=5%") accepted a threshold without a unit`)
	}
}
