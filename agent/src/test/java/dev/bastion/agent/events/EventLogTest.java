package dev.bastion.agent.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {
    private static List<String> events(List<EventLog.Entry<String>> entries) {
        return entries.stream().map(EventLog.Entry::event).toList();
    }

    @Test
    void pagesAfterASequenceNumberWithoutGapsOrRepeats() {
        EventLog<String> log = new EventLog<>(10);
        for (int i = 1; i <= 5; i++) {
            assertEquals(i, log.append("e" + i));
        }
        List<EventLog.Entry<String>> first = log.after(0, 2, e -> true);
        assertEquals(List.of("e1", "e2"), events(first));
        assertEquals(List.of("e3", "e4", "e5"), events(log.after(first.get(1).seq(), 10, e -> true)));
        assertEquals(List.of(), log.after(5, 10, e -> true));
    }

    @Test
    void dropsTheOldestWhenFullAndCountsIt() {
        EventLog<String> log = new EventLog<>(3);
        for (int i = 1; i <= 5; i++) {
            log.append("e" + i);
        }
        assertEquals(List.of("e3", "e4", "e5"), events(log.after(0, 10, e -> true)));
        assertEquals(2, log.dropped());
        assertEquals(5, log.lastSeq());
    }

    @Test
    void latestReturnsTheNewestMatchesOldestFirst() {
        EventLog<String> log = new EventLog<>(10);
        for (String e : List.of("a1", "b1", "a2", "b2", "a3")) {
            log.append(e);
        }
        assertEquals(List.of("a2", "a3"), events(log.latest(2, e -> e.startsWith("a"))));
        assertEquals(List.of("b1", "b2"), events(log.latest(5, e -> e.startsWith("b"))));
    }

    @Test
    void refusesANonPositiveCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new EventLog<String>(0));
    }
}
