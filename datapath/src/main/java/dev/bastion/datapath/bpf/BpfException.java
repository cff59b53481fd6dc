package dev.bastion.datapath.bpf;

import java.nio.charset.StandardCharsets;

/**
 * A libbpf call or bpf() syscall failed. The message names the operation, what it was applied to and the
 * kernel's reason; {@link #errno()} lets callers react to specific errors (ENOENT, EEXIST, EOPNOTSUPP...).
 */
public class BpfException extends RuntimeException {
    private final String operation;
    private final String subject;
    private final int errno;

    /**
     * @param operation what was attempted, e.g. "update"
     * @param subject   what it was applied to, e.g. "map 'peers'"
     * @param error     the errno, positive or negated as libbpf returns it
     */
    public BpfException(String operation, String subject, int error) {
        this(operation, subject, error, "");
    }

    /** As {@link #BpfException(String, String, int)}, with details (e.g. libbpf's log) appended to the message. */
    public BpfException(String operation, String subject, int error, String details) {
        super(operation + " " + subject + ": " + describe(Math.abs(error)) + (details.isEmpty() ? "" : "\n" + details));
        this.operation = operation;
        this.subject = subject;
        this.errno = Math.abs(error);
    }

    public String operation() {
        return operation;
    }

    public String subject() {
        return subject;
    }

    /** The positive errno (libbpf's own codes start at 4000). */
    public int errno() {
        return errno;
    }

    /** Returns a non-negative libbpf result, or throws for a negative one (-errno). */
    static int check(int result, String operation, String subject) {
        if (result < 0) {
            throw new BpfException(operation, subject, result);
        }
        return result;
    }

    /** libbpf_strerror knows the C library's messages and libbpf's own error codes. */
    private static String describe(int errno) {
        byte[] buffer = new byte[256];
        LibBpf.INSTANCE.libbpf_strerror(errno, buffer, buffer.length);
        int length = 0;
        while (length < buffer.length && buffer[length] != 0) {
            length++;
        }
        return new String(buffer, 0, length, StandardCharsets.UTF_8) + " (errno " + errno + ")";
    }
}
