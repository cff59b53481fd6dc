/* SPDX-License-Identifier: GPL-2.0 */
/* Direct ARP handler. A container's ARP request is answered in place, with the target's real MAC from
 * `containers`, when the container may reach the target (a `peers` entry for it) or the target is the container's
 * own gateway. The gateway is always answered because the container needs its MAC to send anything routed (service
 * IPs, peers in other subnets); whether a packet may then reach the gateway itself is the gateway handler's
 * decision, per packet. Every other ARP frame from a container — requests for others, replies, gratuitous
 * announcements, frames whose sender fields are not the container's own — is dropped, so ARP scans and ARP
 * spoofing never reach the bridge. */
#ifndef BASTION_ARP_H
#define BASTION_ARP_H

#include "maps.h"
#include "parsing.h"

/* From linux/if_arp.h, which pulls in libc headers a BPF target cannot build. */
#define ARPHRD_ETHER 1
#define ARPOP_REQUEST 1
#define ARPOP_REPLY 2

struct arp_ipv4 {
	__be16 hrd;
	__be16 pro;
	__u8 hln;
	__u8 pln;
	__be16 op;
	__u8 sha[6];
	__be32 spa;
	__u8 tha[6];
	__be32 tpa;
} __attribute__((packed));

/* Answers or drops an ARP frame from `self` (source MAC already verified). ACTION_TX means the frame was rewritten
 * into the reply and goes back to the container. */
static __always_inline struct decision handle_arp(struct pkt *p, const struct endpoint *self)
{
	struct ethhdr *eth = eth_of(p);
	struct arp_ipv4 *arp = p->data + sizeof(struct ethhdr);
	struct peer_key key;
	struct forward *target;
	__be32 target_ip;

	if (!eth || (void *)(arp + 1) > p->data_end)
		return drop(REASON_MALFORMED);
	if (arp->hrd != bpf_htons(ARPHRD_ETHER) || arp->pro != bpf_htons(ETH_P_IP) || arp->hln != 6 || arp->pln != 4)
		return drop(REASON_MALFORMED);
	if (!mac_equal(arp->sha, self->mac))
		return drop(REASON_SPOOFED_MAC);
	if (arp->op != bpf_htons(ARPOP_REQUEST))
		return drop(REASON_ARP_NOT_REQUEST);
	if (arp->spa == arp->tpa)
		return drop(REASON_ARP_GRATUITOUS);
	if (arp->spa != self->ip)
		return drop(REASON_SPOOFED_IP);

	target_ip = arp->tpa;
	key.id = self->id;
	key.ip = target_ip;
	if (target_ip != self->gateway && !bpf_map_lookup_elem(&peers, &key))
		return drop(REASON_ARP_DENIED);
	target = bpf_map_lookup_elem(&containers, &target_ip);
	if (!target)
		return drop(REASON_ARP_DENIED);

	__builtin_memcpy(eth->h_dest, self->mac, 6);
	__builtin_memcpy(eth->h_source, target->mac, 6);
	arp->op = bpf_htons(ARPOP_REPLY);
	__builtin_memcpy(arp->tha, self->mac, 6);
	arp->tpa = self->ip;
	__builtin_memcpy(arp->sha, target->mac, 6);
	arp->spa = target_ip;
	return decide(ACTION_TX, REASON_ARP_REPLIED, 0);
}

#endif
