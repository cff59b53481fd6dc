/* SPDX-License-Identifier: GPL-2.0 */
/* Source verification: the ingress interface names the container (endpoints map), and the frame's source MAC and
 * source IP must be that container's own. Nothing a container sends can claim another identity. */
#ifndef BASTION_VERIFY_H
#define BASTION_VERIFY_H

#include "maps.h"
#include "parsing.h"

static __always_inline struct endpoint *endpoint_of(__u32 ifindex)
{
	return bpf_map_lookup_elem(&endpoints, &ifindex);
}

static __always_inline enum reason verify_source_mac(struct ethhdr *eth, const struct endpoint *self)
{
	return mac_equal(eth->h_source, self->mac) ? 0 : REASON_SPOOFED_MAC;
}

static __always_inline enum reason verify_source_ip(struct pkt *p, const struct endpoint *self)
{
	return p->saddr == self->ip ? 0 : REASON_SPOOFED_IP;
}

#endif
