/* SPDX-License-Identifier: GPL-2.0 */
/* Observability: per-CPU packet/byte counters per (container id, reason), and one ring-buffer event for the first
 * packet of each IPv4 flow (5-tuple as forwarded or dropped), remembered in the LRU `flows_seen`. A full ring
 * buffer loses the event, never the packet. */
#ifndef BASTION_EVENTS_H
#define BASTION_EVENTS_H

#include "maps.h"
#include "parsing.h"
#include "steering.h"

_Static_assert(REASON_HOST_INJECTED < REASON_SLOTS, "every reason needs a counter slot");

static __always_inline enum verdict verdict_of(enum action action)
{
	if (action == ACTION_DROP)
		return VERDICT_DROP;
	return action == ACTION_STEER ? VERDICT_STEER : VERDICT_ALLOW;
}

static __always_inline void count(__u32 id, enum reason reason, __u32 bytes)
{
	__u32 slot = id * REASON_SLOTS + reason;
	struct counter *c;

	if (id >= MAX_CONTAINERS)
		slot = reason; /* out-of-range ids are the control plane's bug; count them as id 0 */
	c = bpf_map_lookup_elem(&counters, &slot);
	if (c) {
		c->packets++;
		c->bytes += bytes;
	}
}

static __always_inline void report_flow(struct pkt *p, __u32 id, struct decision d)
{
	struct flow_key key;
	struct flow_event *e;
	__u8 seen = 1;

	if (!p->is_ipv4)
		return;
	key = flow_of(p);
	if (bpf_map_lookup_elem(&flows_seen, &key))
		return;
	bpf_map_update_elem(&flows_seen, &key, &seen, BPF_ANY);
	e = bpf_ringbuf_reserve(&flow_events, sizeof(*e), 0);
	if (!e)
		return;
	e->timestamp_ns = bpf_ktime_get_ns();
	e->id = id;
	e->saddr = p->saddr;
	e->daddr = p->daddr;
	e->sport = p->sport;
	e->dport = p->dport;
	e->proto = p->proto;
	e->verdict = verdict_of(d.action);
	e->reason = d.reason;
	e->pad = 0;
	bpf_ringbuf_submit(e, 0);
}

static __always_inline void account(struct pkt *p, __u32 id, struct decision d)
{
	count(id, d.reason, p->len);
	report_flow(p, id, d);
}

#endif
