/* SPDX-License-Identifier: GPL-2.0 */
/* Chain steering. The per-flow `overrides` map comes first: BLOCK drops the rest of a flow, BYPASS keeps it in the
 * kernel (user space writes both directions of a flow). Otherwise `steering` is looked up with the destination
 * port (this container opens the peer's port), then the source port (a reply from this container's port), then
 * port 0 (any port of the protocol). A hit means: to the chain's AF_XDP socket. */
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

static __always_inline int steered(struct pkt *p, __u32 id)
{
	struct steering_key key = { .id = id, .peer = p->daddr, .port = p->dport, .proto = p->proto };

	if (bpf_map_lookup_elem(&steering, &key))
		return 1;
	key.port = p->sport;
	if (bpf_map_lookup_elem(&steering, &key))
		return 1;
	key.port = 0;
	return bpf_map_lookup_elem(&steering, &key) != 0;
}

#endif
