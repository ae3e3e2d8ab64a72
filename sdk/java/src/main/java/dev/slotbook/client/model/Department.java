package dev.slotbook.client.model;

import java.util.List;
import java.util.Map;

/**
 * A department. {@code departments().list()} fills the summary fields; {@code get(id)} also the
 * settings (slot interval and capacity, booking policy, reminder offsets).
 */
public class Department extends Model {
    private Long id;
    private String uuid;
    private String name;
    private String description;
    private Organization organization;
    private Boolean showAdminsInBooking;
    private String timeZone;
    private Integer slotIntervalMinutes;
    private Integer slotCapacity;
    private Boolean inheritsTimeZone;
    private Map<String, Object> bookingPolicy;
    private List<Integer> reminderOffsets;
    private Boolean bookingPageEnabled;

    public Long getId() {
        return id;
    }

    public String getUuid() {
        return uuid;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public Organization getOrganization() {
        return organization;
    }

    /** True when a booking must name its worker ({@code workerId}). */
    public boolean isShowAdminsInBooking() {
        return showAdminsInBooking != null && showAdminsInBooking;
    }

    /** The IANA time zone of its wall-clock times, e.g. {@code Africa/Conakry}. */
    public String getTimeZone() {
        return timeZone;
    }

    public Integer getSlotIntervalMinutes() {
        return slotIntervalMinutes;
    }

    public Integer getSlotCapacity() {
        return slotCapacity;
    }

    public Boolean getInheritsTimeZone() {
        return inheritsTimeZone;
    }

    /** The booking rules by their camelCase names (null: the rule is off); null in lists. */
    public Map<String, Object> getBookingPolicy() {
        return bookingPolicy;
    }

    public List<Integer> getReminderOffsets() {
        return reminderOffsets;
    }

    public Boolean getBookingPageEnabled() {
        return bookingPageEnabled;
    }
}
