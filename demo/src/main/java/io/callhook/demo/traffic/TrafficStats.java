package io.callhook.demo.traffic;

/**
 * What the generator has done so far; records count once the broker acknowledged them.
 *
 * @param calls   calls begun (visit published or skipped, STARTED due)
 * @param visits  visits published
 * @param started STARTED events published
 * @param ended   ENDED events published
 * @param failed  records the producer could not publish (serialization, registry or broker errors)
 */
public record TrafficStats(long calls, long visits, long started, long ended, long failed) {

    /** Call events published, both phases. */
    public long callEvents() {
        return started + ended;
    }
}
