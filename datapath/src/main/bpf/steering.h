/* SPDX-License-Identifier: GPL-2.0 */
/* Chain steering. The per-flow `overrides` map comes first: BLOCK drops the rest of a flow, BYPASS keeps it in the
 * kernel (user space writes both directions of a flow). Otherwise one lookup of `steering` on (container id,
 * peer IP), then a match over at most MAX_STEERING_RULES server-side port ranges: the destination port (this
 * container is the client) or the source port (this container is the server, replying). A match means: to the
 * chain's AF_XDP socket. Packets from another node (bastion_ext) are looked up under the local container and their
 * source, the same entry as the container's own packets of that flow. */
#ifndef BASTION_STEERING_H
#define BASTION_STEERING_H

#include "maps.h"
#include "parsing.h"

static __always_inline struct flow_key flow_of(struct pkt *p)
{
	struct flow_key key = { .saddr = p->saddr, .daddr = p->daddr, .sport = p->sport, .dport = p->dport,
				.proto = p->proto };
	return key;
}

static __always_inline __u32 override_of(struct pkt *p)
{
	struct flow_key key = flow_of(p);
	__u32 *action = bpf_map_lookup_elem(&overrides, &key);

	return action ? *action : 0;
}

static __always_inline int rule_matches(const struct steering_rule *r, struct pkt *p, __u16 sport, __u16 dport)
{
	if (r->proto != p->proto)
		return 0;
	/* A later fragment has no ports: it goes to the chain whenever the peer has a chain for its protocol, so a
	 * fragmented flow cannot slip past its chain. */
	if (p->proto == IPPROTO_ICMP || p->frag == FRAG_LATER)
		return 1;
	return (dport >= r->from && dport <= r->to) || (sport >= r->from && sport <= r->to);
}

/* Whether container `id`'s flow with `peer` is chained. Rules hold server-side ports, matched on either port, so
 * one entry serves both directions of a flow. */
static __always_inline int steered_with(struct pkt *p, __u32 id, __be32 peer)
{
	struct peer_key key = { .id = id, .ip = peer };
	struct steering_rules *rules = bpf_map_lookup_elem(&steering, &key);
	__u16 sport = bpf_ntohs(p->sport), dport = bpf_ntohs(p->dport);
	__u32 i;

	if (!rules)
		return 0;
#pragma unroll
	for (i = 0; i < MAX_STEERING_RULES; i++) {
		if (i >= rules->count)
			break;
		if (rule_matches(&rules->rules[i], p, sport, dport))
			return 1;
	}
	return 0;
}

/* A packet the container sends: the peer is its destination. */
static __always_inline int steered(struct pkt *p, __u32 id)
{
	return steered_with(p, id, p->daddr);
}

/* A packet from another node for the container: the peer is its source. */
static __always_inline int steered_from_outside(struct pkt *p, __u32 id)
{
	return steered_with(p, id, p->saddr);
}

#endif
