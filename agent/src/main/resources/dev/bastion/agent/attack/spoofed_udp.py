# Sends COUNT UDP datagrams carrying MARKER from a forged SOURCE_IP to DEST_IP:PORT, framed for DEST_MAC, out
# of IFACE: a source address that is not the sender's own.
import sys
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Ether
from scapy.packet import Raw
from scapy.sendrecv import sendp

iface, dest_mac, source_ip, dest_ip, port, marker, count = sys.argv[1:8]
frame = Ether(dst=dest_mac) / IP(src=source_ip, dst=dest_ip) / UDP(sport=40000, dport=int(port)) / Raw(marker.encode())
sendp(frame, iface=iface, count=int(count), verbose=False)
