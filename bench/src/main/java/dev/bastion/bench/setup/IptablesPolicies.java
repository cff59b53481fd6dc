package dev.bastion.bench.setup;

import dev.bastion.agent.lab.Lab;
import dev.bastion.agent.lab.LabException;
import dev.bastion.agent.lab.Shell;
import dev.bastion.bench.traffic.Iperf3;
import dev.bastion.bench.traffic.Sockperf;
import dev.bastion.policies.model.Container;
import dev.bastion.policies.model.HostNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The iptables baseline: bridged traffic goes through the FORWARD chain (br_netfilter), each container's
 * packets jump to a chain of its own holding {@code policies} rules for other destinations before the rules
 * that accept the benchmark's own flows, as per-pod chains of iptables-based network policy do. Every packet
 * is matched (no ESTABLISHED shortcut), which is the cost the paper measures.
 */
public final class IptablesPolicies implements NetworkSetup {
    private final int policies;
    private final Shell shell = Shell.system();

    public IptablesPolicies(int policies) {
        this.policies = policies;
    }

    @Override
    public String name() {
        return "iptables-" + policies;
    }

    @Override
    public void apply(Lab lab) {
        List<Container> containers = lab.inventory().containers().stream().filter(c -> !c.hostNetwork()).toList();
        StringBuilder rules = new StringBuilder("*filter\n:FORWARD ACCEPT [0:0]\n");
        for (int i = 0; i < containers.size(); i++) {
            rules.append(":bp-").append(i).append(" - [0:0]\n");
        }
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            String chain = "bp-" + i;
            String self = c.ip().orElseThrow().toString();
            rules.append("-A FORWARD -s ").append(self).append(" -j ").append(chain).append('\n');
            for (int n = 0; n < policies; n++) {
                // Destinations outside the lab: rules that are evaluated but never match.
                rules.append("-A ").append(chain).append(" -s ").append(self).append(" -d 10.254.")
                        .append(n / 250).append('.').append(n % 250 + 1).append(" -p tcp --dport ")
                        .append(1000 + n).append(" -j ACCEPT\n");
            }
            for (Container peer : containers) {
                if (peer == c) {
                    continue;
                }
                String other = peer.ip().orElseThrow().toString();
                for (int port : List.of(Iperf3.PORT, Sockperf.PORT)) {
                    rules.append("-A ").append(chain).append(" -d ").append(other).append(" -p tcp --dport ").append(port).append(" -j ACCEPT\n");
                    rules.append("-A ").append(chain).append(" -d ").append(other).append(" -p tcp --sport ").append(port).append(" -j ACCEPT\n");
                }
                rules.append("-A ").append(chain).append(" -d ").append(other).append(" -p udp --dport ").append(Sockperf.PORT).append(" -j ACCEPT\n");
                rules.append("-A ").append(chain).append(" -d ").append(other).append(" -p udp --sport ").append(Sockperf.PORT).append(" -j ACCEPT\n");
            }
            rules.append("-A ").append(chain).append(" -j DROP\n");
        }
        rules.append("COMMIT\n");
        Path file;
        try {
            file = Files.createTempFile("bastion-iptables", ".rules");
            Files.writeString(file, rules);
        } catch (IOException e) {
            throw new LabException("cannot write iptables rules: " + e.getMessage());
        }
        try {
            for (HostNode node : lab.inventory().nodes()) {
                shell.run(lab.onNode(node.name(), List.of("sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=1")));
                shell.run(lab.onNode(node.name(), List.of("iptables-restore", file.toString())));
            }
        } finally {
            file.toFile().delete();
        }
    }

    @Override
    public void remove(Lab lab) {
        for (HostNode node : lab.inventory().nodes()) {
            shell.run(lab.onNode(node.name(), List.of("iptables", "-F")));
            shell.run(lab.onNode(node.name(), List.of("iptables", "-X")));
            shell.run(lab.onNode(node.name(), List.of("sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=0")));
        }
    }
}
