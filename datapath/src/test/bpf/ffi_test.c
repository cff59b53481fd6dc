// SPDX-License-Identifier: GPL-2.0
// Test program for the Java control plane over libbpf: one map of each family the agent uses (hash, per-CPU
// array, ring buffer) and small programs whose effects the tests can observe from Java.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

// Per-CPU statistics, 12 bytes: the kernel pads per-CPU values to 8 bytes, which the Java side must undo.
struct stats {
	__u32 packets;
	__u32 bytes;
	__u32 ifindex;
};

enum stats_slot { SLOT_TEST_RUN, SLOT_XDP_COUNT, SLOT_XDP_COUNT_V2, SLOT_TC_COUNT, SLOT_COUNT };

// Key 0 holds an XDP action that overrides xdp_test's own (so tests see map writes reach the program).
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 64);
} settings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct stats);
	__uint(max_entries, SLOT_COUNT);
} stats SEC(".maps");

// One record per xdp_test run: ingress ifindex, frame length and the first 14 bytes as received.
struct event {
	__u32 ifindex;
	__u32 len;
	__u8 head[14];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

static __always_inline void count(__u32 slot, __u32 len, __u32 ifindex)
{
	struct stats *s = bpf_map_lookup_elem(&stats, &slot);

	if (!s)
		return;
	s->packets++;
	s->bytes += len;
	s->ifindex = ifindex;
}

// Reports the frame, swaps the Ethernet addresses and sends it back (XDP_TX) unless settings[0] says otherwise.
SEC("xdp")
int xdp_test(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *eth = data;
	__u32 len = data_end - data;
	__u32 key = 0;
	__u64 *action;
	struct event *e;

	if (data + 14 > data_end)
		return XDP_ABORTED;
	count(SLOT_TEST_RUN, len, ctx->ingress_ifindex);

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (e) {
		e->ifindex = ctx->ingress_ifindex;
		e->len = len;
		__builtin_memcpy(e->head, eth, 14);
		bpf_ringbuf_submit(e, 0);
	}

	for (int i = 0; i < 6; i++) {
		__u8 b = eth[i];

		eth[i] = eth[i + 6];
		eth[i + 6] = b;
	}
	action = bpf_map_lookup_elem(&settings, &key);
	return action ? (int)*action : XDP_TX;
}

// Attached to a veth: counts what arrives and lets it through.
SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	count(SLOT_XDP_COUNT, ctx->data_end - ctx->data, ctx->ingress_ifindex);
	return XDP_PASS;
}

// The replacement for xdp_count in the atomic-update test: the same, on its own slot.
SEC("xdp")
int xdp_count_v2(struct xdp_md *ctx)
{
	count(SLOT_XDP_COUNT_V2, ctx->data_end - ctx->data, ctx->ingress_ifindex);
	return XDP_PASS;
}

SEC("tc")
int tc_count(struct __sk_buff *skb)
{
	count(SLOT_TC_COUNT, skb->len, skb->ingress_ifindex);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
