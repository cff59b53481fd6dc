/* SPDX-License-Identifier: GPL-2.0 */
/* Every map of the datapath, with the exact layouts the Java map classes (dev.bastion.datapath.maps) encode.
 * Byte order: IPv4 addresses, and the ports inside service and flow keys, are in network order (the packet's own
 * bytes); ids, ifindexes and the port ranges of `peers` and `steering` are in host order (little-endian on
 * x86/arm64).
 * The control plane pins every map under /sys/fs/bpf/bastion/<instance>/<name>. */
#ifndef BASTION_MAPS_H
#define BASTION_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MAX_CONTAINERS 4096
#define MAX_PORT_RANGES 16
#define MAX_BACKENDS 16
#define MAX_STEERING_RULES 16
#define REASON_SLOTS 32 /* counter slots per container: room for every enum reason */
#define MAX_DPI_PORTS 64

/* endpoints: host-side ifindex (u32) -> the container behind it. */
struct endpoint {
	__u32 id;
	__be32 ip;
	__be32 gateway; /* the container's default gateway (0: none): its ARP requests for it are answered */
	__u8 mac[6];
	__u16 pad;
};

enum forward_kind {
	FORWARD_LOCAL = 1,  /* a container on this node: redirect to its host-side veth */
	FORWARD_REMOTE = 2, /* a container on another node: rewrite MACs, redirect to the external interface */
	FORWARD_HOST = 3,   /* a gateway or host address a policy allows: hand to the kernel stack */
};

/* containers: IPv4 (be32) -> where packets for it go. */
struct forward {
	__u32 ifindex;          /* LOCAL: host-side veth; REMOTE: this node's external interface */
	__u32 id;               /* LOCAL: the container's id (counters of bastion_ext); else 0 */
	__u16 kind;             /* enum forward_kind */
	__u8 mac[6];            /* the address's own MAC (ARP replies, local delivery) */
	__u8 next_hop_mac[6];   /* REMOTE: the destination node's external MAC */
	__u8 ext_mac[6];        /* REMOTE: this node's external MAC */
};

/* peers: (container id, peer IPv4) -> allowed ranges, both directions. */
struct peer_key {
	__u32 id;
	__be32 ip;
};

enum port_direction {
	DIR_EGRESS = 1,  /* the peer's ports this container may open: matched on the destination port */
	DIR_INGRESS = 2, /* this container's ports the peer may open: matched on the source port (replies) */
};

struct port_range {
	__u16 from; /* host order, inclusive */
	__u16 to;   /* host order, inclusive */
	__u8 proto; /* IPPROTO_TCP, IPPROTO_UDP or IPPROTO_ICMP (ICMP ignores ports) */
	__u8 dir;   /* enum port_direction */
	__u16 pad;
};

struct peer_policy {
	__u32 count;
	struct port_range ranges[MAX_PORT_RANGES];
};

/* gateways: (container id, IP or MAC) denied to that container. */
enum gateway_kind {
	GATEWAY_IP = 1,  /* addr[0..3] = IPv4 (be32), addr[4..5] = 0 */
	GATEWAY_MAC = 2, /* addr = MAC */
};

struct gateway_key {
	__u32 id;
	__u16 kind;
	__u8 addr[6];
};

/* services: (service IPv4, port, proto) -> backends; service_nat: reply 5-tuple -> service address. */
struct service_key {
	__be32 ip;
	__be16 port;
	__u8 proto;
	__u8 pad;
};

struct backend {
	__be32 ip;
	__be16 port;
	__u16 pad;
};

struct service {
	__u32 count;
	struct backend backends[MAX_BACKENDS];
};

/* One 5-tuple layout for service_nat, overrides and flows_seen. */
struct flow_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct nat_origin {
	__be32 ip;
	__be16 port;
	__u16 pad;
};

/* steering: (container id, peer IPv4) -> chained server-side port ranges (same key as peers). */
struct steering_rule {
	__u16 from;  /* host order, inclusive: the flow's server-side port */
	__u16 to;
	__u8 proto;  /* ICMP rules match any ICMP */
	__u8 pad;
	__u16 pad2;
	__u32 chain; /* chain id, for user space */
};

struct steering_rules {
	__u32 count;
	struct steering_rule rules[MAX_STEERING_RULES];
};

enum override_action {
	OVERRIDE_BLOCK = 1,  /* drop the rest of the flow */
	OVERRIDE_BYPASS = 2, /* stop steering the flow: it stays in the kernel */
};

struct counter {
	__u64 packets;
	__u64 bytes;
};

struct flow_event {
	__u64 timestamp_ns;
	__u32 id;
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 verdict;
	__u16 reason;
	__u32 pad;
};

/* settings[0]: node-wide values. */
struct settings {
	__u32 steer_ifindex; /* tc mode: the per-node steering port steered flows are redirected to (0: none) */
	__u32 disabled;      /* services switched off for measurement (services.h); 0 in production */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_CONTAINERS);
	__type(key, __u32);
	__type(value, struct endpoint);
} endpoints SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __be32);
	__type(value, struct forward);
} containers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 262144);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct peer_key);
	__type(value, struct peer_policy);
} peers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct gateway_key);
	__type(value, __u32);
} gateways SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct service_key);
	__type(value, struct service);
} services SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct flow_key);
	__type(value, struct nat_origin);
} service_nat SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct peer_key);
	__type(value, struct steering_rules);
} steering SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct flow_key);
	__type(value, __u32);
} overrides SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, MAX_CONTAINERS);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, MAX_CONTAINERS * REASON_SLOTS);
	__type(key, __u32);
	__type(value, struct counter);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} flow_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct flow_key);
	__type(value, __u8);
} flows_seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct settings);
} settings SEC(".maps");

/* dpi_ports: ifindex of an inline IPS's return interface -> its slot in dpi_xsks (dpi.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_DPI_PORTS);
	__type(key, __u32);
	__type(value, __u32);
} dpi_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, MAX_DPI_PORTS);
	__type(key, __u32);
	__type(value, __u32);
} dpi_xsks SEC(".maps");

#endif
