/* SPDX-License-Identifier: GPL-2.0 */
/* Host egress guard, on the egress of a protected container's host-side veth. Every allowed packet between
 * containers is redirected straight into its destination (XDP redirect and bpf_redirect_peer never pass this hook),
 * and packets from other nodes come in through bastion_ext the same way: what still arrives here came through the
 * bridge. That is either the host talking to a container whose policy opens the gateway to it, or a frame injected
 * by something on the host network (a host-network container): ARP, IPv6 and every other source are dropped. */
#ifndef BASTION_GUARD_H
#define BASTION_GUARD_H

#include "maps.h"
#include "parsing.h"
#include "verify.h"
#include "gateway.h"
#include "services.h"

/* The host speaks from the container's gateway IP, and only to a container that may talk to the gateway. */
static __always_inline int from_open_gateway(struct pkt *p, const struct endpoint *self)
{
	return self->gateway && p->saddr == self->gateway && !check_gateway_ip(self->gateway, self->id);
}

/* *id is the container behind the veth, 0 for an interface that is not a protected container's (passed). */
static __always_inline struct decision guard_host_egress(struct pkt *p, __u32 ifindex, __u32 *id)
{
	struct endpoint *self = endpoint_of(ifindex);
	__u32 off;
	struct ethhdr *eth;

	*id = 0;
	if (!self)
		return decide(ACTION_PASS, REASON_PASS_HOST, 0);
	*id = self->id;
	off = disabled_services();
	if (off & SERVICE_TRAFFIC_VISIBILITY)
		return decide(ACTION_PASS, REASON_PASS_HOST, 0); /* containers talk through the bridge then */
	eth = eth_of(p);
	/* Without the direct ARP handler, containers resolve each other through the bridge. */
	if (eth && eth->h_proto == bpf_htons(ETH_P_ARP) && (off & SERVICE_NETWORK_VISIBILITY))
		return decide(ACTION_PASS, REASON_PASS_HOST, 0);
	if (!eth || eth->h_proto != bpf_htons(ETH_P_IP) || parse_ipv4(p) || !from_open_gateway(p, self))
		return drop(REASON_HOST_INJECTED);
	return decide(ACTION_PASS, REASON_PASS_HOST, 0);
}

#endif
