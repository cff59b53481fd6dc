package dev.bastion.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The README's first command, {@code bastion demo}, end to end as a user runs it (default XDP mode): every attack
 * works on the plain bridge and is stopped under Bastion, redis-cli's FLUSHALL is refused by redis-acl and a CONFIG
 * SET by Suricata with its alert, and the lab is gone afterwards.
 */
@Tag("root")
@EnabledIfSystemProperty(named = "user.name", matches = "root", disabledReason = "builds a lab, attaches eBPF")
class DemoCommandIntegrationTest {

    @Test
    void theDemoShowsEveryAttackStoppedAndTheChainsRefusingWhatTheyShould() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BastionCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), "demo",
                "--topology", "../examples/topologies/two-network.yaml", "--chains", "../examples/chains/kill-chain",
                "--rules", "../examples/rules");
        String text = out.toString();

        assertEquals(ExitCodes.OK, code, err + "\n" + text);
        assertTrue(Pattern.compile("Bastion stopped (\\d+) of \\1 attacks; the policy's own traffic \\(client -> "
                + "server\\) kept working throughout").matcher(text).find(), text);
        assertTrue(text.contains("nginx-user -> redis-user: SET session:42 alice"), text);
        assertTrue(Pattern.compile("FLUSHALL +-> \\(no answer\\)").matcher(text).find(), text);
        assertTrue(Pattern.compile("CONFIG SET dir /var/www/html +-> \\(no answer\\)").matcher(text).find(), text);
        assertTrue(text.contains("redis-acl: command FLUSHALL denied"), text);
        assertTrue(text.contains("[sid 9000003]"), "Suricata's alert reached the agent:\n" + text);
        assertTrue(text.contains("Chains: 2 of 2 allowed Redis commands answered, 2 of 2 forbidden ones refused"), text);
        String namespaces = new String(new ProcessBuilder("ip", "netns", "list").start().getInputStream()
                .readAllBytes());
        String prefix = "demo" + ProcessHandle.current().pid() + "-";
        assertFalse(List.of(namespaces.split("\n")).stream().anyMatch(n -> n.startsWith(prefix)),
                "the demo removed its lab: " + namespaces);
    }
}
