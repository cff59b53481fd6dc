package dev.bastion.bridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The lab's servers, each connection on a daemon thread of its own until the listening socket closes. */
final class Servers {
    private Servers() {
    }

    /** Answers each HTTP/1.0 request with 200 and "hello PATH", then closes the connection. */
    static void http(ServerSocket listener) {
        serve(listener, socket -> {
            String head = readHead(socket.getInputStream());
            String path = head.split(" ", 3)[1];
            byte[] body = ("hello " + path).getBytes(StandardCharsets.US_ASCII);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.0 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        });
    }

    /** Sends every byte back. */
    static void echo(ServerSocket listener) {
        serve(listener, socket -> {
            InputStream in = socket.getInputStream();
            int b;
            while ((b = in.read()) >= 0) {
                socket.getOutputStream().write(b);
            }
        });
    }

    private interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private static void serve(ServerSocket listener, Handler handler) {
        daemon("accept " + listener.getLocalPort(), () -> {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    daemon("serve " + listener.getLocalPort(), () -> {
                        try (socket) {
                            handler.handle(socket);
                        } catch (IOException e) {
                            // the client's assertions report what went missing
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String text = head.toString(StandardCharsets.US_ASCII);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
        throw new IOException("connection closed inside the request head");
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
