package dev.bastion.bridge.xsk;

/**
 * The kernel's counters of one socket (struct xdp_statistics): frames it could not deliver because the RX
 * ring was full or the fill ring empty, other drops, and descriptors it refused as invalid.
 */
public record XskStatistics(long rxDropped, long rxInvalidDescriptors, long txInvalidDescriptors, long rxRingFull,
                            long fillRingEmpty, long txRingEmpty) {
    public static final XskStatistics ZERO = new XskStatistics(0, 0, 0, 0, 0, 0);

    public XskStatistics plus(XskStatistics other) {
        return new XskStatistics(rxDropped + other.rxDropped, rxInvalidDescriptors + other.rxInvalidDescriptors,
                txInvalidDescriptors + other.txInvalidDescriptors, rxRingFull + other.rxRingFull,
                fillRingEmpty + other.fillRingEmpty, txRingEmpty + other.txRingEmpty);
    }
}
