// SPDX-License-Identifier: GPL-2.0
// Traffic source of the bridge benchmark: 64-byte frames (60 + FCS) of one UDP flow, sent as fast as the
// device takes them from an AF_PACKET socket (qdisc bypassed, 64 frames per sendmmsg). Runs until killed.
//
// usage: bridge_flood IFNAME SRC_MAC DST_MAC SRC_IP DST_IP DST_PORT
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define FRAME 60
#define BATCH 64

static int parse_mac(const char *text, unsigned char *mac)
{
	return sscanf(text, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4],
		      &mac[5]) == 6;
}

static unsigned short ip_checksum(const unsigned char *header)
{
	unsigned sum = 0;
	for (int i = 0; i < 20; i += 2)
		sum += (header[i] << 8) | header[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (unsigned short)~sum;
}

int main(int argc, char **argv)
{
	unsigned char frame[FRAME] = {0};
	struct in_addr src, dst;
	if (argc != 7 || !parse_mac(argv[3], frame) || !parse_mac(argv[2], frame + 6) ||
	    !inet_pton(AF_INET, argv[4], &src) || !inet_pton(AF_INET, argv[5], &dst)) {
		fprintf(stderr, "usage: %s IFNAME SRC_MAC DST_MAC SRC_IP DST_IP DST_PORT\n", argv[0]);
		return 2;
	}
	frame[12] = 0x08;
	unsigned char *ip = frame + 14;
	ip[0] = 0x45;
	ip[3] = FRAME - 14;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	unsigned short checksum = ip_checksum(ip);
	ip[10] = checksum >> 8;
	ip[11] = checksum & 0xff;
	unsigned char *udp = ip + 20;
	unsigned short port = (unsigned short)atoi(argv[6]);
	udp[0] = 0x9c;
	udp[1] = 0x40;
	udp[2] = port >> 8;
	udp[3] = port & 0xff;
	udp[5] = FRAME - 34;

	int fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("bridge_flood: socket");
		return 1;
	}
	int one = 1;
	setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET, .sll_ifindex = (int)if_nametoindex(argv[1]), .sll_halen = ETH_ALEN,
	};
	memcpy(to.sll_addr, frame, ETH_ALEN);
	struct iovec iov = { .iov_base = frame, .iov_len = FRAME };
	struct mmsghdr messages[BATCH];
	for (int i = 0; i < BATCH; i++) {
		memset(&messages[i], 0, sizeof(messages[i]));
		messages[i].msg_hdr.msg_name = &to;
		messages[i].msg_hdr.msg_namelen = sizeof(to);
		messages[i].msg_hdr.msg_iov = &iov;
		messages[i].msg_hdr.msg_iovlen = 1;
	}
	for (;;)
		sendmmsg(fd, messages, BATCH, 0);
}
