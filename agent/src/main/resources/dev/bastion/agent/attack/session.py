# A long-lived TCP session, as a client keeps to its database: connects to HOST:PORT, exchanges one line,
# prints "established LOCAL_PORT", then waits. When the connection ends (a reset, a close) it prints
# "closed REASON" and exits: the process being alive is the session being alive.
import socket, sys

conn = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2)
conn.sendall(b"hello\n")
conn.recv(1024)
conn.settimeout(None)
print("established", conn.getsockname()[1], flush=True)
try:
    data = conn.recv(1024)
    print("closed", "by peer" if not data else "unexpected data", flush=True)
except OSError as e:
    print("closed", e, flush=True)
