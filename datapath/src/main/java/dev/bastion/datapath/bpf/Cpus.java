package dev.bastion.datapath.bpf;

/** The CPUs the kernel may bring online: per-CPU maps hold one value for each. */
public final class Cpus {
    private static final int POSSIBLE =
            BpfException.check(LibBpf.INSTANCE.libbpf_num_possible_cpus(), "count", "possible CPUs");

    private Cpus() {
    }

    public static int possible() {
        return POSSIBLE;
    }
}
