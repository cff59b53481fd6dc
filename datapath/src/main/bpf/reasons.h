/* SPDX-License-Identifier: GPL-2.0 */
/* Why a packet got its verdict: the counters' second index and the reason of flow events.
 * The numbers are part of the map contract (datapath/README.md, dev.bastion.datapath.maps.Reason). */
#ifndef BASTION_REASONS_H
#define BASTION_REASONS_H

enum reason {
	/* the packet goes on */
	REASON_FORWARD_LOCAL = 0,   /* redirected to a container on this node */
	REASON_FORWARD_REMOTE = 1,  /* redirected to the external interface towards another node */
	REASON_PASS_HOST = 2,       /* allowed, handed to the kernel stack (a host address a policy opens; or any
				     * packet while traffic visibility is off, services.h) */
	REASON_STEERED = 3,         /* redirected to the AF_XDP socket (or steering port) of a chain */
	REASON_ARP_REPLIED = 4,     /* ARP request for a peer answered in place */
	REASON_EXT_DELIVERED = 5,   /* external interface: delivered to a local container */
	REASON_EXT_HOST = 6,        /* external interface: not for a container, left to the host */
	REASON_EXT_STEERED = 7,     /* external interface: a chained flow's packet to the local container's chain */
	/* the packet is dropped */
	REASON_MALFORMED = 8,       /* truncated or inconsistent headers */
	REASON_VLAN = 9,
	REASON_IPV6 = 10,
	REASON_ETHERTYPE = 11,      /* any other ethertype */
	REASON_UNKNOWN_IFINDEX = 12,/* no container behind the ingress interface */
	REASON_SPOOFED_MAC = 13,
	REASON_SPOOFED_IP = 14,
	REASON_ARP_DENIED = 15,     /* request for an address the container may not reach */
	REASON_ARP_NOT_REQUEST = 16,/* ARP replies and anything that is not a request */
	REASON_ARP_GRATUITOUS = 17,
	REASON_GATEWAY = 18,        /* to a denied gateway IP or MAC */
	REASON_NO_POLICY = 19,      /* no dependency on the destination */
	REASON_PORT_DENIED = 20,    /* dependency exists, protocol/port not allowed */
	REASON_FRAGMENT = 21,       /* non-first fragment, policy does not allow any port */
	REASON_OVERRIDE_BLOCK = 22, /* flow blocked by user space (chain verdict) */
	REASON_NO_SOCKET = 23,      /* steered, but no socket/steering port is there: fail closed */
	REASON_EXT_NOT_LOCAL = 24,  /* external interface: a container address that is not on this node */
	REASON_EXT_UNKNOWN_SOURCE = 25, /* external interface: source is not a known remote container */
	REASON_HOST_INJECTED = 26,  /* host-side veth egress: a frame from the bridge that is not the host's own */
};

enum verdict {
	VERDICT_ALLOW = 0,
	VERDICT_DROP = 1,
	VERDICT_STEER = 2,
};

/* What the shared logic decided; each entry point turns it into its hook's return code. */
enum action {
	ACTION_DROP = 0,
	ACTION_PASS,           /* to the kernel stack */
	ACTION_TX,             /* back to the sender (ARP reply): XDP_TX, or into its own ingress in tc */
	ACTION_REDIRECT_LOCAL, /* into the container behind host-side veth `ifindex` */
	ACTION_REDIRECT_OUT,   /* out of interface `ifindex` (external interface) */
	ACTION_STEER,          /* to the chain's socket: xsks[id] (XDP) or the steering port (tc) */
};

struct decision {
	enum action action;
	enum reason reason;
	__u32 ifindex;
};

static __always_inline struct decision decide(enum action action, enum reason reason, __u32 ifindex)
{
	struct decision d = { .action = action, .reason = reason, .ifindex = ifindex };
	return d;
}

static __always_inline struct decision drop(enum reason reason)
{
	return decide(ACTION_DROP, reason, 0);
}

#endif
