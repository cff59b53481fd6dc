package dev.bastion.agent.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A bounded, in-memory log of recent events with increasing sequence numbers. Readers page with "everything
 * after sequence N", so {@code bastion flows --follow} never misses or repeats an event that is still held;
 * the oldest events are dropped first when the log is full, and the drop is counted.
 */
public final class EventLog<T> {
    /** One held event and its position in the log. */
    public record Entry<T>(long seq, T event) {
    }

    private final int capacity;
    private final ArrayDeque<Entry<T>> entries;
    private long nextSeq = 1;
    private long dropped;

    public EventLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        this.entries = new ArrayDeque<>(capacity);
    }

    public synchronized long append(T event) {
        if (entries.size() == capacity) {
            entries.removeFirst();
            dropped++;
        }
        long seq = nextSeq++;
        entries.addLast(new Entry<>(seq, event));
        return seq;
    }

    /** Up to {@code limit} events after {@code afterSeq} that match, oldest first. */
    public synchronized List<Entry<T>> after(long afterSeq, int limit, Predicate<T> filter) {
        List<Entry<T>> out = new ArrayList<>(Math.min(limit, entries.size()));
        for (Entry<T> e : entries) {
            if (out.size() == limit) {
                break;
            }
            if (e.seq() > afterSeq && filter.test(e.event())) {
                out.add(e);
            }
        }
        return out;
    }

    /** The newest {@code limit} events that match, oldest first: what a reader sees when it first looks. */
    public synchronized List<Entry<T>> latest(int limit, Predicate<T> filter) {
        ArrayDeque<Entry<T>> out = new ArrayDeque<>();
        var it = entries.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            Entry<T> e = it.next();
            if (filter.test(e.event())) {
                out.addFirst(e);
            }
        }
        return List.copyOf(out);
    }

    public synchronized long lastSeq() {
        return nextSeq - 1;
    }

    public synchronized long dropped() {
        return dropped;
    }
}
