package dev.slotbook.client.model;

/** The organization a department belongs to. */
public class Organization extends Model {
    private Long id;
    private String name;

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }
}
