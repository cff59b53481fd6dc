# One request to a line service: connects to HOST:PORT, sends LINE, prints the answer, or "failed: why"
# when it cannot connect or gets no answer within two seconds.
import socket, sys

host, port, line = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:
    with socket.create_connection((host, port), timeout=2) as conn:
        conn.sendall(line.encode() + b"\n")
        print(conn.makefile("rb").readline().decode().strip())
except OSError as e:
    print("failed:", e)
