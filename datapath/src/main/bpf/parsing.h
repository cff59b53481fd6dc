/* SPDX-License-Identifier: GPL-2.0 */
/* Header parsing that trusts nothing: every access is bounds-checked against data_end, IPv4 options are skipped
 * through ihl, and fragments are classified so that a non-first fragment (which has no ports) never matches a
 * port. The result is a copy of the fields in struct pkt plus offsets, so the logic can re-derive pointers after a
 * tc helper has moved the packet. */
#ifndef BASTION_PARSING_H
#define BASTION_PARSING_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "reasons.h"

#define IP_MF 0x2000
#define IP_OFFSET 0x1fff

enum fragment {
	FRAG_NONE = 0,
	FRAG_FIRST = 1, /* offset 0, more fragments: carries the L4 header, checked normally */
	FRAG_LATER = 2, /* offset > 0: no L4 header */
};

struct pkt {
	void *data;
	void *data_end;
	__u32 len;      /* the whole packet (skb->len in tc), which may exceed data_end - data */
	__u16 l4_off;   /* from data; valid for IPv4 */
	__u8 proto;
	__u8 frag;      /* enum fragment */
	__u8 is_ipv4;   /* the IPv4 fields below were parsed */
	__be32 saddr;
	__be32 daddr;
	__be16 sport;   /* 0 without ports (ICMP, later fragments) */
	__be16 dport;
};

static __always_inline int mac_equal(const __u8 *a, const __u8 *b)
{
	return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3]) | (a[4] ^ b[4]) | (a[5] ^ b[5])) == 0;
}

static __always_inline struct ethhdr *eth_of(struct pkt *p)
{
	struct ethhdr *eth = p->data;

	if ((void *)(eth + 1) > p->data_end)
		return 0;
	return eth;
}

static __always_inline struct iphdr *ip_of(struct pkt *p)
{
	struct iphdr *ip = p->data + sizeof(struct ethhdr);

	if ((void *)(ip + 1) > p->data_end)
		return 0;
	return ip;
}

/* Pointer to the first `size` bytes of the L4 header, or 0. The offset is masked so the verifier sees its bound
 * (14 + at most 60 bytes of IPv4 header). */
static __always_inline void *l4_of(struct pkt *p, __u32 size)
{
	void *l4 = p->data + (p->l4_off & 0x7f);

	if (l4 + size > p->data_end)
		return 0;
	return l4;
}

/* Fills pkt from an IPv4 frame (ethertype already checked). Returns 0 or a drop reason. */
static __always_inline enum reason parse_ipv4(struct pkt *p)
{
	struct iphdr *ip = ip_of(p);
	__u32 ihl_bytes, tot_len;
	__u16 frag_off;

	if (!ip || ip->version != 4 || ip->ihl < 5)
		return REASON_MALFORMED;
	ihl_bytes = ip->ihl * 4;
	tot_len = bpf_ntohs(ip->tot_len);
	/* tot_len is checked against the whole packet, not its linear part: a GSO skb in tc carries most of its
	 * payload in fragments. */
	if (tot_len < ihl_bytes || (void *)ip + ihl_bytes > p->data_end || sizeof(struct ethhdr) + tot_len > p->len)
		return REASON_MALFORMED;

	p->is_ipv4 = 1;
	p->saddr = ip->saddr;
	p->daddr = ip->daddr;
	p->proto = ip->protocol;
	p->l4_off = sizeof(struct ethhdr) + ihl_bytes;
	p->sport = 0;
	p->dport = 0;
	frag_off = bpf_ntohs(ip->frag_off);
	if (frag_off & IP_OFFSET) {
		p->frag = FRAG_LATER;
		return 0;
	}
	p->frag = (frag_off & IP_MF) ? FRAG_FIRST : FRAG_NONE;

	/* A first fragment must hold the whole L4 header: tiny fragments that split the ports are malformed. */
	switch (p->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP: {
		__be16 *ports = l4_of(p, p->proto == IPPROTO_TCP ? 20 : 8);

		if (!ports)
			return REASON_MALFORMED;
		p->sport = ports[0];
		p->dport = ports[1];
		return 0;
	}
	case IPPROTO_ICMP:
		return l4_of(p, 8) ? 0 : REASON_MALFORMED;
	default:
		return 0;
	}
}

/* Classifies the ethertype of a frame whose Ethernet header is present: 0 for IPv4 and ARP, else a drop reason. */
static __always_inline enum reason check_ethertype(__be16 proto)
{
	switch (proto) {
	case bpf_htons(ETH_P_IP):
	case bpf_htons(ETH_P_ARP):
		return 0;
	case bpf_htons(ETH_P_8021Q):
	case bpf_htons(ETH_P_8021AD):
		return REASON_VLAN;
	case bpf_htons(ETH_P_IPV6):
		return REASON_IPV6;
	default:
		return REASON_ETHERTYPE;
	}
}

#endif
