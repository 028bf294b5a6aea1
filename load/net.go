package load

import (
	"net"
	"time"
)

func netDialer() net.Dialer { return net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second} }
