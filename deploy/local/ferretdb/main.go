// Command ferretdb runs an embedded FerretDB (SQLite backend) for local development.
//
// It is built by deploy/local/install.sh into .tools/bin/ferretdb and started by
// deploy/local/infra.sh. Telemetry is disabled by the embedded library itself.
// SIGTERM / SIGINT shut it down cleanly.
//
// Flags (with env fallbacks):
//
//	-listen  address to listen on   (default 127.0.0.1:$MONGO_PORT, MONGO_PORT defaults to 27017)
//	-data    SQLite data directory  (default $FERRETDB_DATA_DIR or ./.data/ferretdb)
//	-ping    ADDR: instead of serving, send a MongoDB `ping` to ADDR and exit 0 if it answers ok:1
//	         (used by infra.sh as a real health check; mongosh is not available)
package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func main() {
	listen := flag.String("listen", "127.0.0.1:"+envOr("MONGO_PORT", "27017"), "TCP address to listen on")
	dataDir := flag.String("data", envOr("FERRETDB_DATA_DIR", filepath.Join(".data", "ferretdb")), "SQLite data directory")
	logLevel := flag.String("log-level", envOr("FERRETDB_LOG_LEVEL", "error"), "log level: debug, info, warn, error")
	pingAddr := flag.String("ping", "", "send a ping command to this address and exit (health check)")
	flag.Parse()

	if *pingAddr != "" {
		if err := ping(*pingAddr); err != nil {
			fmt.Fprintf(os.Stderr, "ping %s: %v\n", *pingAddr, err)
			os.Exit(1)
		}
		fmt.Println("ok")
		return
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad -log-level %q: %v\n", *logLevel, err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		logger.Error("bad data dir", "err", err)
		os.Exit(1)
	}
	if err = os.MkdirAll(abs, 0o755); err != nil {
		logger.Error("cannot create data dir", "err", err)
		os.Exit(1)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		// WAL with synchronous=NORMAL: a commit survives the process's crash or kill (what the
		// fault suite does), not a power cut; FerretDB's default (FULL) syncs every commit,
		// which halved the throughput of concurrent writes here. Production runs MongoDB.
		SQLiteURL: "file:" + abs + "/?_pragma=synchronous(normal)",
	})
	if err != nil {
		logger.Error("cannot start FerretDB", "err", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	// stdout line used by humans; the health check probes the port itself.
	fmt.Printf("ferretdb listening on %s, data %s\n", *listen, abs)

	if err = f.Run(ctx); err != nil {
		logger.Error("FerretDB stopped with error", "err", err)
		os.Exit(1)
	}
	fmt.Println("ferretdb stopped")
}

// ping sends OP_MSG {ping: 1, $db: "admin"} and checks that the reply contains ok: 1.0.
func ping(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(3 * time.Second))

	// BSON document {ping: int32(1), $db: "admin"}
	var doc bytes.Buffer
	doc.Write([]byte{0x10})
	doc.WriteString("ping\x00")
	_ = binary.Write(&doc, binary.LittleEndian, int32(1))
	doc.Write([]byte{0x02})
	doc.WriteString("$db\x00")
	_ = binary.Write(&doc, binary.LittleEndian, int32(len("admin")+1))
	doc.WriteString("admin\x00")
	doc.WriteByte(0x00)
	body := make([]byte, 4, 4+doc.Len())
	binary.LittleEndian.PutUint32(body, uint32(4+doc.Len()))
	body = append(body, doc.Bytes()...)

	// OP_MSG: header(len, requestID, responseTo, opCode=2013), flagBits, section kind 0, document
	var msg bytes.Buffer
	_ = binary.Write(&msg, binary.LittleEndian, int32(16+4+1+len(body)))
	_ = binary.Write(&msg, binary.LittleEndian, int32(1))
	_ = binary.Write(&msg, binary.LittleEndian, int32(0))
	_ = binary.Write(&msg, binary.LittleEndian, int32(2013))
	_ = binary.Write(&msg, binary.LittleEndian, uint32(0))
	msg.WriteByte(0)
	msg.Write(body)
	if _, err = conn.Write(msg.Bytes()); err != nil {
		return err
	}

	hdr := make([]byte, 16)
	if _, err = io.ReadFull(conn, hdr); err != nil {
		return err
	}
	n := int(binary.LittleEndian.Uint32(hdr))
	if n < 16 || n > 1<<20 {
		return fmt.Errorf("bad reply length %d", n)
	}
	rest := make([]byte, n-16)
	if _, err = io.ReadFull(conn, rest); err != nil {
		return err
	}
	// "ok" as a double 1.0: type 0x01, "ok\0", float64(1) little-endian
	okDouble := []byte{0x01, 'o', 'k', 0x00, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f}
	if !bytes.Contains(rest, okDouble) {
		return fmt.Errorf("reply without ok: 1")
	}
	return nil
}
