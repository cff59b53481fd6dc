package dev.bastion.agent.attack;

/** Whether the traffic the policies allow (client -> server) worked, and what was answered. */
public record TrafficCheck(boolean works, String evidence) {
}
