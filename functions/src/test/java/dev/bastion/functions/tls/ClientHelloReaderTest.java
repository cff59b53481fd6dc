package dev.bastion.functions.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.functions.support.Wire;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClientHelloReaderTest {
    private final ClientHelloReader reader = new ClientHelloReader(16384);

    private ClientHelloReader.Result read(byte[] bytes) {
        return reader.read(ByteBuffer.wrap(bytes));
    }

    /** The same handshake bytes re-framed into records of at most {@code size} bytes each. */
    static byte[] refragment(byte[] records, int size) {
        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        for (int at = 0; at < records.length; ) {
            int len = ((records[at + 3] & 0xff) << 8) | (records[at + 4] & 0xff);
            handshake.write(records, at + 5, len);
            at += 5 + len;
        }
        byte[] body = handshake.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += size) {
            int n = Math.min(size, body.length - i);
            out.write(new byte[] {22, 3, 1, (byte) (n >> 8), (byte) n}, 0, 5);
            out.write(body, i, n);
        }
        return out.toByteArray();
    }

    @Test
    void findsTheServerNameTheJdkSends() throws Exception {
        assertEquals(ClientHelloReader.Result.FOUND, read(Wire.tlsClientHello("Payments.Example.com")));
        assertEquals("payments.example.com", reader.serverName());
    }

    @Test
    void aClientHelloWithoutServerNameIsReported() throws Exception {
        assertEquals(ClientHelloReader.Result.NO_SNI, read(Wire.tlsClientHello(null)));
    }

    @Test
    void joinsAClientHelloSplitAcrossRecords() throws Exception {
        byte[] split = refragment(Wire.tlsClientHello("api.example.com"), 100);
        assertEquals(ClientHelloReader.Result.FOUND, read(split));
        assertEquals("api.example.com", reader.serverName());
    }

    @Test
    void everyTruncationWaitsForMore() throws Exception {
        for (byte[] hello : new byte[][] {Wire.tlsClientHello("api.example.com"), refragment(Wire.tlsClientHello("a.b"), 64)}) {
            for (int cut = 1; cut < hello.length; cut++) {
                assertEquals(ClientHelloReader.Result.NEED_MORE, read(Arrays.copyOf(hello, cut)), "cut " + cut);
            }
        }
    }

    @Test
    void otherProtocolsAreNotTls() {
        assertEquals(ClientHelloReader.Result.NOT_TLS, read("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(ClientHelloReader.Result.NOT_TLS, read(new byte[] {'*'}));
        assertEquals(ClientHelloReader.Result.NOT_TLS, read(new byte[] {22, 2, 0, 0, 1, 1}), "SSL 2 / garbage version");
    }

    @Test
    void malformedLengthsAreCaught() throws Exception {
        byte[] hello = Wire.tlsClientHello("api.example.com");
        int sni = indexOf(hello, "api.example.com".getBytes(StandardCharsets.US_ASCII));
        byte[] longName = hello.clone();
        longName[sni - 1] = (byte) 0xff; // host_name length beyond its list
        assertEquals(ClientHelloReader.Result.MALFORMED, read(longName));
        assertTrue(reader.error().contains("server_name"), reader.error());

        byte[] badSession = hello.clone();
        badSession[5 + 4 + 2 + 32] = (byte) 0xff; // session id longer than the message
        assertEquals(ClientHelloReader.Result.MALFORMED, read(badSession));

        byte[] notHello = hello.clone();
        notHello[5] = 2; // a ServerHello where a ClientHello must be
        assertEquals(ClientHelloReader.Result.MALFORMED, read(notHello));

        byte[] zeroRecord = {22, 3, 1, 0, 0};
        assertEquals(ClientHelloReader.Result.MALFORMED, read(zeroRecord));

        byte[] control = hello.clone();
        control[sni] = 0x01;
        assertEquals(ClientHelloReader.Result.MALFORMED, read(control));

        byte[] interleaved = refragment(hello, 100);
        interleaved[105] = 23; // second record is application data
        assertEquals(ClientHelloReader.Result.MALFORMED, read(interleaved));
    }

    @Test
    void aClientHelloOverTheBoundIsMalformed() throws Exception {
        ClientHelloReader small = new ClientHelloReader(128);
        assertEquals(ClientHelloReader.Result.MALFORMED, small.read(ByteBuffer.wrap(Wire.tlsClientHello("a.example.com"))));
        assertTrue(small.error().contains("longer than 128"), small.error());
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
