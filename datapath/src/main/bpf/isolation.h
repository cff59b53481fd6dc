/* SPDX-License-Identifier: GPL-2.0 */
/* Container-aware isolation: one hash lookup on (container id, destination IP), then a match over at most
 * MAX_PORT_RANGES ranges. The cost per packet does not depend on how many policies exist. Egress ranges match the
 * destination port (the peer's ports this container may open), ingress ranges the source port (replies from this
 * container's ports that the peer may open). A later fragment carries no ports: it passes only where the policy
 * allows any port of its protocol. ICMP ranges allow ICMP to and from the peer. */
#ifndef BASTION_ISOLATION_H
#define BASTION_ISOLATION_H

#include "maps.h"
#include "parsing.h"

static __always_inline int range_allows(const struct port_range *r, struct pkt *p, __u16 sport, __u16 dport)
{
	__u16 port;

	if (r->proto != p->proto)
		return 0;
	if (p->proto == IPPROTO_ICMP)
		return 1;
	if (p->frag == FRAG_LATER)
		return r->from == 0 && r->to == 0xffff;
	port = r->dir == DIR_EGRESS ? dport : sport;
	return (r->dir == DIR_EGRESS || r->dir == DIR_INGRESS) && port >= r->from && port <= r->to;
}

static __always_inline enum reason check_isolation(struct pkt *p, __u32 id)
{
	struct peer_key key = { .id = id, .ip = p->daddr };
	struct peer_policy *policy = bpf_map_lookup_elem(&peers, &key);
	__u16 sport = bpf_ntohs(p->sport), dport = bpf_ntohs(p->dport);
	__u32 i;

	if (!policy)
		return REASON_NO_POLICY;
#pragma unroll
	for (i = 0; i < MAX_PORT_RANGES; i++) {
		if (i >= policy->count)
			break;
		if (range_allows(&policy->ranges[i], p, sport, dport))
			return 0;
	}
	return p->frag == FRAG_LATER ? REASON_FRAGMENT : REASON_PORT_DENIED;
}

#endif
