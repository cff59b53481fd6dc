package dev.bastion.agent.enforce;

import java.util.List;
import java.util.Map;

/** What {@link PodVeths} reads of the node: interfaces of the agent's namespace and of named ones, and their ids. */
public interface NodeInterfaces {
    /** The interfaces of the calling thread's namespace (the agent's). */
    List<NodeInterface> own();

    /**
     * The interfaces of the namespace named {@code namespace} under /run/netns.
     *
     * @throws IllegalArgumentException when there is no such namespace (any more)
     */
    List<NodeInterface> in(String namespace);

    /** The named namespaces the agent's namespace gives an id (the id a link's peer namespace is named by) by id. */
    Map<Integer, String> namedById();
}
