// SPDX-License-Identifier: GPL-2.0
// Attached to the container-side end of a veth: XDP_REDIRECT into a veth only delivers frames when the
// receiving peer has an XDP program (or GRO) enabled, otherwise they are silently dropped.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_peer_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
