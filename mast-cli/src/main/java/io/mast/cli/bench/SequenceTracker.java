package io.mast.cli.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * Tells, for the messages of one publisher reaching one subscriber, which sequence numbers arrived for the first
 * time and which again. In-order arrival costs a comparison; a jump forward records the skipped range as a gap (kept
 * only while it is open), so a broker that drops messages costs one entry per run of drops, not one per message. A
 * late arrival inside a gap fills it; any other number below the highest seen is a duplicate. Not thread-safe: a
 * subscriber's messages arrive on its one I/O thread.
 */
public final class SequenceTracker {

    private long next;
    private long unique;
    private long duplicates;
    private TreeMap<Long, Long> gaps; // start -> end (exclusive) of ranges skipped and not yet seen

    /** Records an arrival; true when this sequence number arrived for the first time. */
    public boolean record(long sequence) {
        if (sequence == next) {
            next++;
            unique++;
            return true;
        }
        if (sequence > next) {
            if (gaps == null) {
                gaps = new TreeMap<>();
            }
            gaps.put(next, sequence);
            next = sequence + 1;
            unique++;
            return true;
        }
        Map.Entry<Long, Long> gap = gaps == null || sequence < 0 ? null : gaps.floorEntry(sequence);
        if (gap == null || sequence >= gap.getValue()) {
            duplicates++;
            return false;
        }
        gaps.remove(gap.getKey());
        if (gap.getKey() < sequence) {
            gaps.put(gap.getKey(), sequence);
        }
        if (sequence + 1 < gap.getValue()) {
            gaps.put(sequence + 1, gap.getValue());
        }
        unique++;
        return true;
    }

    /** Distinct sequence numbers received. */
    public long unique() {
        return unique;
    }

    /** Arrivals of a sequence number already received. */
    public long duplicates() {
        return duplicates;
    }

    /** The highest sequence number received plus one (0 when none). */
    public long highest() {
        return next;
    }

    /** Sequence numbers below {@link #highest()} not received (yet). */
    public long missing() {
        return next - unique;
    }
}
