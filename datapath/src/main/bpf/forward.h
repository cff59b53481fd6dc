/* SPDX-License-Identifier: GPL-2.0 */
/* End-to-end direct forwarding. An allowed packet for a container on this node goes straight to that container's
 * host-side veth; for a container on another node its MACs become (this node's external MAC -> that node's
 * external MAC) and it leaves through the external interface. Allowed destinations that are no container (a
 * gateway or host address some policy opens) go to the kernel stack, unless addressed to a gateway MAC denied to
 * the container. Nothing inter-container crosses the bridge.
 * On the external interface, a packet for a container address is accepted only when that container is on this
 * node and the source is a known remote container; it gets its MACs back and is handed to the container, or, when
 * the flow is chained on this node, to the chain (overrides first, as for the container's own packets: a chain
 * inspects both directions of its flows). Traffic for addresses that are no container is the host's own and is
 * left alone. */
#ifndef BASTION_FORWARD_H
#define BASTION_FORWARD_H

#include "maps.h"
#include "parsing.h"
#include "gateway.h"
#include "steering.h"

/* check_gateway: the gateway handler is on (services.h). */
static __always_inline struct decision forward(struct pkt *p, __u32 id, int check_gateway)
{
	struct ethhdr *eth = eth_of(p);
	struct forward *to = bpf_map_lookup_elem(&containers, &p->daddr);

	if (!eth)
		return drop(REASON_MALFORMED);
	if (!to || to->kind == FORWARD_HOST) {
		if (check_gateway && check_gateway_mac(eth->h_dest, id))
			return drop(REASON_GATEWAY);
		return decide(ACTION_PASS, REASON_PASS_HOST, 0);
	}
	if (to->kind == FORWARD_LOCAL) {
		__builtin_memcpy(eth->h_dest, to->mac, 6);
		return decide(ACTION_REDIRECT_LOCAL, REASON_FORWARD_LOCAL, to->ifindex);
	}
	__builtin_memcpy(eth->h_source, to->ext_mac, 6);
	__builtin_memcpy(eth->h_dest, to->next_hop_mac, 6);
	return decide(ACTION_REDIRECT_OUT, REASON_FORWARD_REMOTE, to->ifindex);
}

/* Decides a frame arriving on the external interface; *id is the destination container's id (or 0). */
static __always_inline struct decision forward_from_outside(struct pkt *p, __u32 *id)
{
	struct ethhdr *eth = eth_of(p);
	struct forward *to, *from;
	__u32 override;

	*id = 0;
	if (!eth || eth->h_proto != bpf_htons(ETH_P_IP) || parse_ipv4(p))
		return decide(ACTION_PASS, REASON_EXT_HOST, 0);
	to = bpf_map_lookup_elem(&containers, &p->daddr);
	if (!to || to->kind == FORWARD_HOST)
		return decide(ACTION_PASS, REASON_EXT_HOST, 0);
	*id = to->id;
	if (to->kind != FORWARD_LOCAL)
		return drop(REASON_EXT_NOT_LOCAL);
	from = bpf_map_lookup_elem(&containers, &p->saddr);
	if (!from || from->kind != FORWARD_REMOTE)
		return drop(REASON_EXT_UNKNOWN_SOURCE);
	__builtin_memcpy(eth->h_source, from->mac, 6);
	__builtin_memcpy(eth->h_dest, to->mac, 6);
	override = override_of(p);
	if (override == OVERRIDE_BLOCK)
		return drop(REASON_OVERRIDE_BLOCK);
	if (override != OVERRIDE_BYPASS && steered_from_outside(p, to->id))
		return decide(ACTION_STEER, REASON_EXT_STEERED, 0);
	return decide(ACTION_REDIRECT_LOCAL, REASON_EXT_DELIVERED, to->ifindex);
}

#endif
