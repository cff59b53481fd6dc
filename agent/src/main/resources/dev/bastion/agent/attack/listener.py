# A stand-in for a container's service: accepts TCP connections on PORT, prints "conn IP" for each (the
# suite's proof that someone got in), and answers every line with "NAME: line" so that clients can tell
# who answered them.
import socket, sys, threading

port, name = int(sys.argv[1]), sys.argv[2]
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("0.0.0.0", port))
server.listen(64)
print("listening", port, flush=True)


def serve(conn):
    with conn, conn.makefile("rwb") as stream:
        for line in stream:
            stream.write(name.encode() + b": " + line)
            stream.flush()


while True:
    conn, peer = server.accept()
    print("conn", peer[0], flush=True)
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
