package dev.bastion.agent.enforce;

import dev.bastion.bridge.Bridge;
import dev.bastion.datapath.enforce.Datapath;
import dev.bastion.datapath.enforce.Entry;
import dev.bastion.datapath.maps.DpiPortMap;
import dev.bastion.datapath.net.Interfaces;
import dev.bastion.datapath.net.Ipv6;
import dev.bastion.datapath.net.Links;
import dev.bastion.datapath.net.Offload;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * tc mode's way into the AF_XDP bridge. tc cannot redirect into an AF_XDP socket, so the datapath redirects every
 * steered packet to one veth of the node, {@value #NAME}0 (the {@code settings} map names it); on its peer
 * {@value #NAME}1, {@code dpi_return} hands the frames to the bridge's socket. Created in the calling thread's
 * network namespace, replacing one an earlier agent left.
 */
final class SteeringPort {
    static final String NAME = "bstr";
    /** The last slot of dpi_xsks; Suricata ports take the others. */
    static final int SLOT = DpiPortMap.SLOTS - 1;
    private static final Logger log = LoggerFactory.getLogger(SteeringPort.class);

    private SteeringPort() {
    }

    static void open(Datapath datapath, Bridge bridge) {
        String in = NAME + "0";
        String out = NAME + "1";
        Links.delete(in);
        Links.createVethPair(in, out);
        for (String end : List.of(in, out)) {
            Ipv6.disable(end);
            Offload.GRO.set(end, false); // frames reach the socket as the container sent them
            Links.setUp(end);
        }
        int outIndex = Interfaces.index(out);
        datapath.detach("steering-port");
        datapath.attach(Entry.DPI_RETURN, outIndex, "steering-port");
        bridge.addSteeringPort(outIndex, SLOT);
        datapath.settings().steeringPort(Interfaces.index(in));
        log.info("steering port {} -> {} (tc mode) open", in, out);
    }
}
