package dev.slotbook.client.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.slotbook.client.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A result of the API: typed getters for the documented fields, {@link #get(String)} for any
 * field by its JSON name (a newer server's fields included), and {@link #toMap()} for all of it.
 * {@code toString()} is the JSON.
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE,
        setterVisibility = Visibility.NONE)
@JsonIgnoreProperties(ignoreUnknown = true)
public abstract class Model {
    private final transient Map<String, Object> other = new LinkedHashMap<>();

    @JsonAnySetter
    void remember(String name, Object value) {
        other.put(name, value);
    }

    @JsonAnyGetter
    Map<String, Object> other() {
        return Collections.unmodifiableMap(other);
    }

    /** Every field, by its JSON (camelCase) name, as plain maps, lists, strings and numbers. */
    public Map<String, Object> toMap() {
        return Json.toMap(Json.MAPPER.valueToTree(this));
    }

    /** One field by its JSON name, e.g. {@code get("qrCode")}; null when absent. */
    public Object get(String name) {
        return toMap().get(name);
    }

    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && toMap().equals(((Model) other).toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return Json.write(this);
    }
}
