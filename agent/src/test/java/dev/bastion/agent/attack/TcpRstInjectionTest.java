package dev.bastion.agent.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bastion.agent.lab.LabException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpRstInjectionTest {

    @Test
    void theNextSequenceIsTheEndOfTheServersLastSegment() {
        List<String> segments = List.of(
                "17:23:48.055042 IP 172.17.0.3.6379 > 172.17.0.2.40826: Flags [S.], seq 2673840253, ack 763980806, win 65160, length 0",
                "17:23:48.055120 IP 172.17.0.3.6379 > 172.17.0.2.40826: Flags [.], ack 763980812, win 64, length 0",
                "17:23:48.061580 IP 172.17.0.3.6379 > 172.17.0.2.40826: Flags [P.], seq 2673840254:2673840272, ack 763980812, length 18");
        assertEquals(2673840272L, TcpRstInjection.nextSequence(segments));
        assertEquals(2673840254L, TcpRstInjection.nextSequence(segments.subList(0, 2)), "a SYN takes one sequence number");
    }

    @Test
    void noServerSegmentIsAnError() {
        assertThrows(LabException.class, () -> TcpRstInjection.nextSequence(List.of()));
    }
}
