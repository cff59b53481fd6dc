package dev.bastion.policies.collect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP/1.1 responder on a real Unix domain socket, standing in for the Docker engine: it serves
 * canned JSON per path, alternately with Content-Length and chunked bodies, and records the paths asked for.
 */
final class UnixHttpServer implements AutoCloseable {
    private final Path socket;
    private final ServerSocketChannel server;
    private final Map<String, byte[]> responses = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private int served;

    UnixHttpServer(Path socket) throws IOException {
        this.socket = socket;
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(this::serve, "docker-api-stub");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    void respond(String path, byte[] body) {
        responses.put(path, body);
    }

    List<String> requests() {
        return requests;
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel client = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.US_ASCII));
                String path = in.readLine().split(" ")[1];
                for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
                    // headers are not needed by the stub
                }
                requests.add(path);
                byte[] body = responses.get(path);
                OutputStream out = Channels.newOutputStream(client);
                if (body == null) {
                    byte[] message = "{\"message\":\"No such container\"}".getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: " + message.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(message);
                } else if (served++ % 2 == 0) {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Version: 1.43\r\nContent-Length: "
                            + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                } else {
                    out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    for (int at = 0; at < body.length; at += 700) {
                        int n = Math.min(700, body.length - at);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body, at, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException e) {
                if (server.isOpen()) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        acceptor.join(2000);
        Files.deleteIfExists(socket);
    }
}
