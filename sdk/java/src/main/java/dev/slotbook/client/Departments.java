package dev.slotbook.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slotbook.client.model.Department;
import java.util.ArrayList;
import java.util.List;

/** {@code client.departments()}: the departments your key can book in. */
public final class Departments {
    private static final String PATH = "api/v1/departments";

    private final Http http;

    Departments(Http http) {
        this.http = http;
    }

    public List<Department> list() {
        JsonNode answer = http.send(new Call("GET", PATH));
        List<Department> departments = new ArrayList<>();
        if (answer != null) {
            for (JsonNode department : answer) {
                departments.add(Json.convert(department, Department.class));
            }
        }
        return List.copyOf(departments);
    }

    /** One department with its settings (slot interval and capacity, booking policy...). */
    public Department get(long id) {
        return Json.convert(http.send(new Call("GET", PATH + "/" + id)), Department.class);
    }
}
