package dev.bastion.agent.enforce;

import dev.bastion.datapath.net.AddressDump;
import dev.bastion.datapath.net.InterfaceAddress;
import dev.bastion.datapath.net.LinkDump;
import dev.bastion.datapath.net.NamespaceIds;
import dev.bastion.datapath.net.NetworkNamespace;
import dev.bastion.policies.model.Ipv4Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's interfaces read over rtnetlink; named namespaces are the files under /run/netns. */
public final class NetlinkNodeInterfaces implements NodeInterfaces {
    private static final Logger log = LoggerFactory.getLogger(NetlinkNodeInterfaces.class);
    private static final Path NAMED = Path.of("/run/netns");

    @Override
    public List<NodeInterface> own() {
        return read();
    }

    @Override
    public List<NodeInterface> in(String namespace) {
        return NetworkNamespace.call(namespace, NetlinkNodeInterfaces::read);
    }

    @Override
    public Map<Integer, String> namedById() {
        Map<Integer, String> named = new HashMap<>();
        for (Path file : namedFiles()) {
            try {
                NamespaceIds.of(file).ifPresent(id -> named.put(id, file.getFileName().toString()));
            } catch (IllegalStateException | IllegalArgumentException e) {
                log.debug("{} skipped: {}", file, e.getMessage()); // gone since it was listed, or not a namespace
            }
        }
        return named;
    }

    /** The calling thread's namespace's interfaces. */
    private static List<NodeInterface> read() {
        Map<Integer, List<Ipv4Address>> addresses = AddressDump.ipv4().stream().collect(Collectors.groupingBy(
                InterfaceAddress::index,
                Collectors.mapping(a -> Ipv4Address.parse(a.address().getHostAddress()), Collectors.toList())));
        return LinkDump.all().stream()
                .map(l -> new NodeInterface(l, addresses.getOrDefault(l.index(), List.of()))).toList();
    }

    private static List<Path> namedFiles() {
        try (Stream<Path> files = Files.list(NAMED)) {
            return files.toList();
        } catch (NoSuchFileException e) {
            return List.of(); // no namespace was ever named on this node
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + NAMED, e);
        }
    }
}
