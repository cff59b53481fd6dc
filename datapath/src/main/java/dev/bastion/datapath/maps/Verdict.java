package dev.bastion.datapath.maps;

/** What the datapath did with a flow's first packet: enum verdict of reasons.h, same order. */
public enum Verdict {
    ALLOW, DROP, STEER
}
