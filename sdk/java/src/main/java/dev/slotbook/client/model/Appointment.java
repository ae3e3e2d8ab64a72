package dev.slotbook.client.model;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * An appointment as {@code GET /api/v1/appointments/{id}} returns it. {@link #getDateTime()} is
 * the wall-clock time in the department's {@link #getTimeZone()}; {@link #getStart()} is the
 * same instant as a {@link ZonedDateTime}.
 */
public class Appointment extends Model {
    private Long id;
    private String uuid;
    private LocalDateTime dateTime;
    private LocalDateTime endTime;
    private String status;
    private String displayStatus;
    private String name;
    private String qrCode;
    private Long departmentId;
    private String departmentName;
    private String externalUserId;
    private Long workerId;
    private Long clientId;
    private Long patientId;
    private Long appointmentTypeId;
    private String notes;
    private String reason;
    private Boolean isUrgent;
    private String source;
    private Boolean fromWeb;
    private String telehealthUrl;
    private Boolean patientArrived;
    private Boolean didNotArrive;
    private OffsetDateTime arrivedAt;
    private OffsetDateTime archivedAt;
    private Integer cancellationReason;
    private String cancellationReasonDescription;
    private String cancellationNote;
    private Long repeatedFromId;
    private Integer version;
    private String timeZone;
    private OffsetDateTime createdAt;
    private OffsetDateTime updatedAt;
    private OffsetDateTime cancelledAt;
    private Boolean emailReminderSent;
    private Boolean smsReminderSent;

    public Long getId() {
        return id;
    }

    /** The public id (a UUID), stable across systems. */
    public String getUuid() {
        return uuid;
    }

    /** The start, as wall-clock time of the department's time zone. */
    public LocalDateTime getDateTime() {
        return dateTime;
    }

    /** The end (start plus the type's duration), wall-clock time; null when unknown. */
    public LocalDateTime getEndTime() {
        return endTime;
    }

    /** The start as an instant in the department's time zone. */
    public ZonedDateTime getStart() {
        return dateTime == null || timeZone == null ? null : dateTime.atZone(ZoneId.of(timeZone));
    }

    /** SCHEDULED, CONFIRMED, CHECKED_IN, COMPLETED, CANCELLED or MISSED. */
    public String getStatus() {
        return status;
    }

    public String getDisplayStatus() {
        return displayStatus;
    }

    /** The beneficiary's name. */
    public String getName() {
        return name;
    }

    /** The code the desk scans to check the person in. */
    public String getQrCode() {
        return qrCode;
    }

    public Long getDepartmentId() {
        return departmentId;
    }

    public String getDepartmentName() {
        return departmentName;
    }

    /** Your system's identifier of the person, as given at booking. */
    public String getExternalUserId() {
        return externalUserId;
    }

    public Long getWorkerId() {
        return workerId;
    }

    public Long getClientId() {
        return clientId;
    }

    public Long getPatientId() {
        return patientId;
    }

    public Long getAppointmentTypeId() {
        return appointmentTypeId;
    }

    public String getNotes() {
        return notes;
    }

    public String getReason() {
        return reason;
    }

    public Boolean getIsUrgent() {
        return isUrgent;
    }

    public String getSource() {
        return source;
    }

    public Boolean getFromWeb() {
        return fromWeb;
    }

    public String getTelehealthUrl() {
        return telehealthUrl;
    }

    public Boolean getPatientArrived() {
        return patientArrived;
    }

    public Boolean getDidNotArrive() {
        return didNotArrive;
    }

    public OffsetDateTime getArrivedAt() {
        return arrivedAt;
    }

    public OffsetDateTime getArchivedAt() {
        return archivedAt;
    }

    public Integer getCancellationReason() {
        return cancellationReason;
    }

    public String getCancellationReasonDescription() {
        return cancellationReasonDescription;
    }

    public String getCancellationNote() {
        return cancellationNote;
    }

    public Long getRepeatedFromId() {
        return repeatedFromId;
    }

    /** Changes with every write; give it as {@code ifMatch} to update only what you read. */
    public Integer getVersion() {
        return version;
    }

    /** The department's IANA time zone, e.g. {@code Africa/Conakry}. */
    public String getTimeZone() {
        return timeZone;
    }

    public OffsetDateTime getCreatedAt() {
        return createdAt;
    }

    public OffsetDateTime getUpdatedAt() {
        return updatedAt;
    }

    public OffsetDateTime getCancelledAt() {
        return cancelledAt;
    }

    public Boolean getEmailReminderSent() {
        return emailReminderSent;
    }

    public Boolean getSmsReminderSent() {
        return smsReminderSent;
    }
}
