package dev.bastion.agent.attack;

/** Bastion's security components (docs/security.md, the paper's Table 1): what is meant to stop each attack. */
public enum Component {
    SOURCE_VERIFICATION("source verification"),
    DIRECT_ARP("direct ARP handler"),
    GATEWAY_AND_SERVICE_IP("gateway & service-IP handler"),
    ISOLATION("container-aware isolation"),
    DIRECT_FORWARDING("end-to-end direct forwarding");

    private final String title;

    Component(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
