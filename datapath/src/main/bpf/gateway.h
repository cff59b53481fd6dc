/* SPDX-License-Identifier: GPL-2.0 */
/* Gateway and service-IP handler. A container reaches neither its gateway's IP nor, through its MAC, the host (nor
 * any other special address the control plane lists for it in `gateways`): that closes the path to the host's own
 * services. A packet to a denied IP is dropped at once; a packet to a denied MAC only when it would be handed to the
 * host's stack: one for a container is redirected there with that container's MAC, never reaching the host (this
 * is how service traffic, sent to the gateway's MAC, reaches its backend). A policy that opens a gateway simply
 * leaves it out of the container's list.
 * A service address (IP, port, proto in `services`) is rewritten to one backend, chosen per flow by a hash of the
 * client's address and port so every packet of a flow picks the same backend; the reverse mapping goes into the
 * LRU `service_nat`, keyed by the reply's 5-tuple as the backend sends it, so the backend's replies get the service
 * address back as their source. */
#ifndef BASTION_GATEWAY_H
#define BASTION_GATEWAY_H

#include "maps.h"
#include "rewrite.h"

static __always_inline int gateway_denied(__u32 id, enum gateway_kind kind, const void *addr, __u32 size)
{
	struct gateway_key key = { .id = id, .kind = kind };

	__builtin_memcpy(key.addr, addr, size);
	return bpf_map_lookup_elem(&gateways, &key) != 0;
}

static __always_inline enum reason check_gateway_ip(__be32 daddr, __u32 id)
{
	return gateway_denied(id, GATEWAY_IP, &daddr, sizeof(daddr)) ? REASON_GATEWAY : 0;
}

static __always_inline enum reason check_gateway_mac(const __u8 *dest, __u32 id)
{
	return gateway_denied(id, GATEWAY_MAC, dest, 6) ? REASON_GATEWAY : 0;
}

static __always_inline int has_ports(struct pkt *p)
{
	return (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP) && p->frag == FRAG_NONE;
}

/* Service IP:port -> backend. Returns 1 when the destination was a service (its address saved in *origin), 0 when
 * it was none, -1 when the rewrite failed. */
static __always_inline int service_dnat(void *ctx, struct pkt *p, const int tc, struct nat_origin *origin)
{
	struct service_key key = { .ip = p->daddr, .port = p->dport, .proto = p->proto };
	struct service *svc;
	struct backend backend;
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
	/* The compiler knows index < count <= MAX_BACKENDS and would drop a range check; the verifier does not know
	 * it (modulo is unbounded to it), so the index is masked behind a barrier (MAX_BACKENDS is a power of 2). */
	asm volatile("" : "+r"(index));
	backend = svc->backends[index & (MAX_BACKENDS - 1)];
	origin->ip = p->daddr;
	origin->port = p->dport;
	origin->pad = 0;
	return rewrite_address(ctx, p, tc, SIDE_DESTINATION, backend.ip, backend.port) ? -1 : 1;
}

/* Once the rewritten packet passed isolation: the backend's replies to this client get *origin back as source.
 * Recording only allowed flows keeps a container from flooding the LRU with connections it may not make. */
static __always_inline void service_remember(struct pkt *p, struct nat_origin *origin)
{
	struct flow_key reply = { .saddr = p->daddr, .daddr = p->saddr, .sport = p->dport, .dport = p->sport,
				  .proto = p->proto };

	bpf_map_update_elem(&service_nat, &reply, origin, BPF_ANY);
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
