package dev.slotbook.client.model;

import java.time.OffsetDateTime;
import java.util.List;

/** A free start time: its interval, the workers free then and the places left. */
public class Slot extends Model {
    private OffsetDateTime start;
    private OffsetDateTime end;
    private List<Long> workerIds;
    private Integer remaining;

    /** The start, with the department's UTC offset. */
    public OffsetDateTime getStart() {
        return start;
    }

    public OffsetDateTime getEnd() {
        return end;
    }

    public List<Long> getWorkerIds() {
        return workerIds == null ? List.of() : List.copyOf(workerIds);
    }

    /** Bookings still possible at this time. */
    public int getRemaining() {
        return remaining == null ? 0 : remaining;
    }
}
