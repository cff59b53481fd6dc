package dev.bastion.datapath.bpf;

/**
 * The result of running a program on a frame in the kernel (BPF_PROG_TEST_RUN).
 *
 * @param retval       the program's return value (an XDP action, a TC action...)
 * @param output       the frame as the program left it
 * @param averageNanos kernel-measured average time of one run
 */
public record TestRun(int retval, byte[] output, long averageNanos) {
}
