package dev.bastion.policies.model;

import java.util.List;

/** The explicit ingress and egress rules of one container set. */
public record Policy(String containerSet, List<PolicyRule> ingress, List<PolicyRule> egress) {
}
