package dev.slotbook.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The SDK's one Jackson mapper. Debian ships no jackson-datatype-jsr310, so the three java.time
 * types the API uses are mapped here with java.time's own ISO formatters.
 */
public final class Json {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /** Configured for the API: unknown fields are ignored, so a newer server is no problem. */
    public static final ObjectMapper MAPPER = build();

    private Json() {}

    private static ObjectMapper build() {
        SimpleModule time = new SimpleModule("slotbook-java-time");
        time.addSerializer(LocalDateTime.class, new ToString<>(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
        time.addSerializer(LocalDate.class, new ToString<>(DateTimeFormatter.ISO_LOCAL_DATE));
        time.addSerializer(OffsetDateTime.class, new ToString<>(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        time.addDeserializer(LocalDateTime.class, new FromString<>(Json::localDateTime));
        time.addDeserializer(LocalDate.class, new FromString<>(LocalDate::parse));
        time.addDeserializer(OffsetDateTime.class, new FromString<>(Json::timestamp));
        return new ObjectMapper()
                .registerModule(time)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** A wall-clock time; given with an offset, the wall-clock time at that offset. */
    static LocalDateTime localDateTime(String text) {
        try {
            return LocalDateTime.parse(text);
        } catch (DateTimeParseException naive) {
            return OffsetDateTime.parse(text).toLocalDateTime();
        }
    }

    /** A point in time: ISO 8601 with an offset, or without one meaning UTC. */
    static OffsetDateTime timestamp(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException naive) {
            return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
        }
    }

    /** The JSON text of any value (models, maps, lists). */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON object as a map, with the API's camelCase keys. */
    public static Map<String, Object> toMap(JsonNode node) {
        return MAPPER.convertValue(node, MAP);
    }

    static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unexpected answer from the API: " + e.getOriginalMessage(), e);
        }
    }

    private static final class ToString<T extends java.time.temporal.TemporalAccessor>
            extends JsonSerializer<T> {
        private final DateTimeFormatter format;

        ToString(DateTimeFormatter format) {
            this.format = format;
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            gen.writeString(format.format(value));
        }
    }

    private interface Parse<T> {
        T parse(String text);
    }

    private static final class FromString<T> extends JsonDeserializer<T> {
        private final Parse<T> parse;

        FromString(Parse<T> parse) {
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            if (text == null || text.isEmpty()) {
                return null;
            }
            try {
                return parse.parse(text);
            } catch (DateTimeParseException e) {
                return context.reportInputMismatch(this, "not an ISO 8601 date or time: %s", text);
            }
        }
    }
}
