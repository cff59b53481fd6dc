package dev.bastion.datapath.enforce;

import dev.bastion.datapath.enforce.BridgeLab.Container;
import dev.bastion.datapath.net.NetworkNamespace;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** TCP traffic between lab containers: sockets made inside their namespaces, used from any thread. */
final class LabTraffic {
    private LabTraffic() {
    }

    static ServerSocket listen(String namespace, String ip, int port) {
        return NetworkNamespace.call(namespace, () -> {
            try {
                return new ServerSocket(port, 4, InetAddress.getByName(ip));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Accepts one connection, counts the bytes until the client shuts its side, answers the count. */
    static Thread countOnce(ServerSocket server) {
        Thread thread = new Thread(() -> {
            try (Socket socket = server.accept()) {
                long count = socket.getInputStream().transferTo(OutputStream.nullOutputStream());
                new DataOutputStream(socket.getOutputStream()).writeLong(count);
            } catch (IOException e) {
                // the client's assertion on the count reports it
            }
        }, "count");
        thread.start();
        return thread;
    }

    /**
     * Sends {@code bytes} bytes in large writes (segmentation offload in tc mode) and returns the server's count;
     * a transfer that stalls (segments dropped) fails after 30 s instead of hanging in a blocked write.
     */
    static long send(Container client, String ip, int port, int bytes) throws Exception {
        Socket socket = NetworkNamespace.call(client.namespace(), () -> {
            Socket connected = new Socket();
            try {
                connected.connect(new InetSocketAddress(ip, port), 5000);
                return connected;
            } catch (IOException e) {
                throw new UncheckedIOException("connecting to " + ip + ":" + port, e);
            }
        });
        try (socket) {
            CompletableFuture<Long> count = CompletableFuture.supplyAsync(() -> {
                try {
                    byte[] chunk = new byte[256 * 1024];
                    for (int sent = 0; sent < bytes; sent += chunk.length) {
                        socket.getOutputStream().write(chunk, 0, Math.min(chunk.length, bytes - sent));
                    }
                    socket.shutdownOutput();
                    return new DataInputStream(socket.getInputStream()).readLong();
                } catch (IOException e) {
                    throw new UncheckedIOException("sending to " + ip + ":" + port, e);
                }
            });
            return count.get(30, TimeUnit.SECONDS);
        }
    }

    static boolean connects(Container client, String ip, int port) {
        return NetworkNamespace.call(client.namespace(), () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(ip, port), 1500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
