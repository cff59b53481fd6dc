package dev.bastion.functions.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bastion.chain.spi.PacketView;
import dev.bastion.functions.support.Payloads;
import dev.bastion.functions.support.Wire;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespCommandScannerTest {

    /** Feeds {@code stream} in pieces of {@code piece} bytes; returns names found, and "!" + error on MALFORMED. */
    private static List<String> scan(byte[] stream, int piece) {
        RespCommandScanner scanner = new RespCommandScanner();
        List<String> found = new ArrayList<>();
        for (int i = 0; i < stream.length; i += piece) {
            PacketView in = Payloads.of(stream, i, Math.min(piece, stream.length - i));
            for (int at = 0; ; at = scanner.position()) {
                RespCommandScanner.Result r = scanner.scan(in, at);
                if (r == RespCommandScanner.Result.COMMAND) {
                    found.add(scanner.name());
                } else if (r == RespCommandScanner.Result.MALFORMED) {
                    found.add("!" + scanner.error());
                    return found;
                } else {
                    break;
                }
            }
        }
        return found;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void findsEveryPipelinedCommandWhateverTheSegmentation() {
        byte[] stream = concat(Wire.redis("SET", "k", "v"), Wire.redis("get", "k"),
                Wire.redisWithValue("SET", "x", "*1\r\n$8\r\nFLUSHALL\r\n".getBytes(StandardCharsets.US_ASCII)),
                Wire.redis("FlushAll"));
        for (int piece : new int[] {1, 2, 3, 7, 1000}) {
            assertEquals(List.of("SET", "GET", "SET", "FLUSHALL"), scan(stream, piece), "piece " + piece);
        }
    }

    @Test
    void readsInlineCommandsAndSkipsEmptyLines() {
        byte[] stream = concat(Wire.redisInline("PING"), "\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                Wire.redisInline("config get maxmemory"), "\"DEBUG\" sleep 0\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(List.of("PING", "CONFIG", "DEBUG"), scan(stream, 1));
        assertEquals(List.of("PING", "CONFIG", "DEBUG"), scan(stream, 100));
    }

    @Test
    void skipsLargeValuesWithoutKeepingThem() {
        byte[] big = new byte[3_000_000];
        byte[] stream = concat(Wire.redisWithValue("SET", "blob", big), Wire.redis("DEL", "blob"));
        assertEquals(List.of("SET", "DEL"), scan(stream, 1448));
    }

    @Test
    void nullAndEmptyArraysAreNotCommands() {
        assertEquals(List.of("PING"), scan("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII), 1));
    }

    @Test
    void longNamesAreKeptTruncatedAndFlagged() {
        RespCommandScanner scanner = new RespCommandScanner();
        String name = "X".repeat(100);
        assertEquals(RespCommandScanner.Result.COMMAND, scanner.scan(Payloads.of(Wire.redis(name, "a")), 0));
        assertEquals(RespCommandScanner.MAX_NAME, scanner.nameLength());
        assertTrue(scanner.nameTruncated());
    }

    @Test
    void malformedStreamsBreakTheScannerForGood() {
        String[] broken = {
            "*2\r\n:1\r\n",                 // integer where a bulk string must be
            "*1\r\n$3\r\nGETX\r\n",          // bulk longer than declared
            "*x\r\n",                       // bad count
            "*1\r\n$\r\n",                  // missing length
            "*1\r\n$3\rXGET\r\n",           // CR without LF
            "*99999999999\r\n",             // too many digits
            "*2000000\r\n",                 // more arguments than Redis accepts
            "*1\r\n$600000000\r\n",         // bulk over 512 MB
            "\"GET\n",                      // unbalanced quote
        };
        for (String s : broken) {
            List<String> found = scan(s.getBytes(StandardCharsets.US_ASCII), 1);
            assertEquals(1, found.size(), s);
            assertTrue(found.get(0).startsWith("!"), s + " gave " + found);
        }
        RespCommandScanner scanner = new RespCommandScanner();
        scanner.scan(Payloads.of("*1\r\n:".getBytes(StandardCharsets.US_ASCII)), 0);
        assertEquals(RespCommandScanner.Result.MALFORMED, scanner.scan(Payloads.of(Wire.redis("PING")), 0));
    }

    @Test
    void inlineRequestsHaveABound() {
        byte[] endless = ("SET k " + "v".repeat(70_000)).getBytes(StandardCharsets.US_ASCII);
        assertEquals(List.of("SET", "!inline request too long"), scan(endless, 1500));
    }

    @Test
    void truncatedInputWaitsForMore() {
        byte[] full = Wire.redis("GET", "key");
        for (int cut = 0; cut < 13; cut++) { // "*2\r\n$3\r\nGET\r\n" is 13 bytes: the name completes at its end
            RespCommandScanner scanner = new RespCommandScanner();
            assertEquals(RespCommandScanner.Result.NEED_MORE, scanner.scan(Payloads.of(full, 0, cut), 0), "cut " + cut);
        }
    }
}
