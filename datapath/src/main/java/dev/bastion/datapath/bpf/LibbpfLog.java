package dev.bastion.datapath.bpf;

import dev.bastion.datapath.net.Libc;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Routes libbpf's messages (warnings, verifier logs) to SLF4J instead of stderr, and lets a caller collect the
 * messages its own thread caused, so that a failed load can say why in its exception.
 */
final class LibbpfLog {
    private static final Logger LOG = LoggerFactory.getLogger("libbpf");
    private static final int WARN = 0;
    private static final int INFO = 1;
    /** libbpf starts its messages with this; the logger's name says it already. */
    private static final String PREFIX = "libbpf: ";
    /** A verifier log arrives as one message; longer ones are cut. */
    private static final int MESSAGE_LIMIT = 256 * 1024;
    /** How much of the collected log an exception carries: the end, where the verifier states the error. */
    private static final int DETAILS_LIMIT = 6000;

    private static final ThreadLocal<Pointer> BUFFER =
            ThreadLocal.withInitial(() -> Memory.allocateDirect(Libc.RUNTIME, MESSAGE_LIMIT));
    private static final ThreadLocal<StringBuilder> COLLECTED = new ThreadLocal<>();
    /** Held for as long as libbpf may call it. */
    private static final LibBpf.PrintCallback CALLBACK = LibbpfLog::print;

    private LibbpfLog() {
    }

    static void install(LibBpf libbpf) {
        libbpf.libbpf_set_print(CALLBACK);
    }

    /** Starts collecting this thread's libbpf warnings and infos. */
    static void collect() {
        COLLECTED.set(new StringBuilder());
    }

    /** Stops collecting and returns the end of what was collected. */
    static String collected() {
        StringBuilder collected = COLLECTED.get();
        COLLECTED.remove();
        if (collected == null) {
            return "";
        }
        String text = collected.toString().strip();
        return text.length() <= DETAILS_LIMIT ? text : "..." + text.substring(text.length() - DETAILS_LIMIT);
    }

    private static int print(int level, Pointer format, Pointer vaList) {
        StringBuilder collected = COLLECTED.get();
        boolean wanted = collected != null && level <= INFO
                || level == WARN && LOG.isWarnEnabled()
                || level == INFO && LOG.isInfoEnabled()
                || LOG.isDebugEnabled();
        if (!wanted) {
            return 0;
        }
        // va_list is a pointer on x86-64, so libc can format libbpf's message for us.
        Pointer buffer = BUFFER.get();
        int length = Math.min(Libc.INSTANCE.vsnprintf(buffer, MESSAGE_LIMIT, format, vaList), MESSAGE_LIMIT - 1);
        if (length <= 0) {
            return 0;
        }
        String message = buffer.getString(0, length, StandardCharsets.UTF_8).stripTrailing();
        if (message.startsWith(PREFIX)) {
            message = message.substring(PREFIX.length());
        }
        if (collected != null && level <= INFO) {
            collected.append(message).append('\n');
        }
        switch (level) {
            case WARN -> LOG.warn(message);
            case INFO -> LOG.info(message);
            default -> LOG.debug(message);
        }
        return 0;
    }
}
