package dev.slotbook.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.slotbook.client.model.Slot;
import dev.slotbook.client.model.SlotQuery;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** The live server the tests run against (tests/sdk/test_java.py starts it). */
final class Live {
    static final String BASE_URL = required("SLOTBOOK_BASE_URL");
    static final String API_KEY = required("SLOTBOOK_API_KEY");

    private Live() {}

    static String required(String name) {
        String value = System.getenv(name);
        assertNotNull(value, name + " must be set: the tests need a live Slotbook server");
        return value;
    }

    /** A client of the demo organization that retries fast. */
    static SlotbookClient client() {
        return SlotbookClient.builder().backoff(Duration.ofMillis(10)).build();
    }

    /** Free slots of a department, from the server's own "today" (its clock decides). */
    static List<Slot> freeSlots(SlotbookClient client, SlotQuery query) {
        List<Slot> slots = client.availability().slots(query).getSlots();
        if (slots.size() < 2) {
            throw new AssertionError("the demo department has too few free slots: " + slots);
        }
        return slots;
    }

    /** What an example's main printed. */
    static final class Output {
        final String out;
        final String err;

        Output(String out, String err) {
            this.out = out;
            this.err = err;
        }
    }

    /** Runs an example's main in this JVM, capturing what it prints; its exceptions propagate. */
    static Output runExample(String className) throws Throwable {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Class.forName(className).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        Output output = new Output(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        savedOut.print(output.out);
        savedErr.print(output.err);
        return output;
    }
}
