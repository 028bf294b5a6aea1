package fast

import "testing"

var sink *int

func TestBox(t *testing.T) {
	if *Box(3) != 3 {
		t.Fatal("Box(3) != 3")
	}
}

func BenchmarkBox(b *testing.B) {
	b.ReportAllocs()
	b.Run("sub", func(b *testing.B) {
		for b.Loop() {
			sink = Box(1)
		}
	})
}
