/* SPDX-License-Identifier: GPL-2.0 */
/* Gateway and service-IP handler. A container reaches neither its gateway's IP nor its MAC (nor any other special
 * address the control plane lists for it in `gateways`): that closes the path to the host's own services. A policy
 * that opens a gateway simply leaves it out of the container's list.
 * A service address (IP, port, proto in `services`) is rewritten to one backend, chosen per flow by a hash of the
 * client's address and port so every packet of a flow picks the same backend; the reverse mapping goes into the
 * LRU `service_nat`, keyed by the reply's 5-tuple as the backend sends it, so the backend's replies get the service
 * address back as their source. */
#ifndef BASTION_GATEWAY_H
#define BASTION_GATEWAY_H

#include "maps.h"
#include "rewrite.h"

static __always_inline enum reason check_gateway(struct ethhdr *eth, __be32 daddr, const struct endpoint *self)
{
	struct gateway_key key = { .id = self->id, .kind = GATEWAY_MAC };

	__builtin_memcpy(key.addr, eth->h_dest, 6);
	if (bpf_map_lookup_elem(&gateways, &key))
		return REASON_GATEWAY;
	__builtin_memset(key.addr, 0, sizeof(key.addr));
	key.kind = GATEWAY_IP;
	__builtin_memcpy(key.addr, &daddr, sizeof(daddr));
	if (bpf_map_lookup_elem(&gateways, &key))
		return REASON_GATEWAY;
	return 0;
}

static __always_inline int has_ports(struct pkt *p)
{
	return (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP) && p->frag == FRAG_NONE;
}

/* Service IP:port -> backend. Returns 0 (also when the destination is no service) or -1 when the rewrite failed. */
static __always_inline int service_dnat(void *ctx, struct pkt *p, const int tc)
{
	struct service_key key = { .ip = p->daddr, .port = p->dport, .proto = p->proto };
	struct nat_origin origin = { .ip = p->daddr, .port = p->dport };
	struct flow_key reply = {};
	struct service *svc;
	struct backend *backend;
	__u32 count, index;

	if (!has_ports(p))
		return 0;
	svc = bpf_map_lookup_elem(&services, &key);
	if (!svc)
		return 0;
	count = svc->count;
	if (count == 0 || count > MAX_BACKENDS)
		return -1;
	index = ((__u32)p->saddr ^ ((__u32)p->sport << 16) ^ (__u32)p->sport) % count;
	/* The compiler knows index < count <= MAX_BACKENDS; the verifier (modulo is unbounded to it) does not. */
	asm volatile("" : "+r"(index));
	if (index >= MAX_BACKENDS)
		return -1;
	backend = &svc->backends[index];

	reply.saddr = backend->ip;
	reply.daddr = p->saddr;
	reply.sport = backend->port;
	reply.dport = p->sport;
	reply.proto = p->proto;
	bpf_map_update_elem(&service_nat, &reply, &origin, BPF_ANY);
	return rewrite_address(ctx, p, tc, SIDE_DESTINATION, backend->ip, backend->port);
}

/* A backend's reply to a service client gets the service address back as its source. */
static __always_inline int service_reverse(void *ctx, struct pkt *p, const int tc)
{
	struct flow_key key = { .saddr = p->saddr, .daddr = p->daddr, .sport = p->sport, .dport = p->dport,
				.proto = p->proto };
	struct nat_origin *origin;

	if (!has_ports(p))
		return 0;
	origin = bpf_map_lookup_elem(&service_nat, &key);
	if (!origin)
		return 0;
	return rewrite_address(ctx, p, tc, SIDE_SOURCE, origin->ip, origin->port);
}

#endif
