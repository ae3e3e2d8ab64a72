package dev.slotbook.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slotbook.client.exceptions.ApiConnectionException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;

/** Sends calls with the retry policy and turns answers into JSON or typed exceptions. */
final class Http {
    static final String USER_AGENT = "slotbook-java/" + SlotbookClient.VERSION;
    /** Methods that change state: each call carries an Idempotency-Key, reused by its retries. */
    static final Set<String> KEYED_METHODS = Set.of("POST", "PATCH", "PUT", "DELETE");

    private final HttpClient client;
    private final URI root;
    private final String apiKey;
    private final Duration timeout;
    private final RetryPolicy retry;

    Http(HttpClient client, String baseUrl, String apiKey, Duration timeout, RetryPolicy retry) {
        this.client = client;
        this.root = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.retry = retry;
    }

    URI root() {
        return root;
    }

    /** The request of a call, built once so every retry sends the same Idempotency-Key. */
    HttpRequest request(Call call) {
        StringJoiner query = new StringJoiner("&");
        for (Map.Entry<String, String> param : call.query) {
            query.add(encode(param.getKey()) + "=" + encode(param.getValue()));
        }
        String target = call.path + (query.length() == 0 ? "" : "?" + query);
        HttpRequest.Builder builder = HttpRequest.newBuilder(root.resolve(target))
                .timeout(timeout)
                .header("X-API-Key", apiKey)
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT);
        call.headers.forEach(builder::header);
        if (KEYED_METHODS.contains(call.method)) {
            builder.header(
                    "Idempotency-Key",
                    call.idempotencyKey != null ? call.idempotencyKey : UUID.randomUUID().toString());
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        if (call.body != null) {
            try {
                body = HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(call.body));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("the request body cannot be written as JSON", e);
            }
            builder.header("Content-Type", "application/json");
        }
        return builder.method(call.method, body).build();
    }

    /** The JSON of the final answer (null for 204 No Content); a refusal is thrown typed. */
    JsonNode send(Call call) {
        HttpRequest request = request(call);
        int attempt = 0;
        while (true) {
            HttpResponse<byte[]> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException failure) {
                Duration wait = retry.afterFailure(attempt);
                if (wait == null) {
                    throw new ApiConnectionException(
                            failure.getClass().getSimpleName() + ": " + failure.getMessage(), failure);
                }
                sleep(wait);
                attempt++;
                continue;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new ApiConnectionException("interrupted while waiting for the API", interrupted);
            }
            Map<String, java.util.List<String>> headers = response.headers().map();
            Duration wait = retry.afterAnswer(attempt, response.statusCode(), headers, response.body());
            if (wait == null) {
                return decode(response);
            }
            sleep(wait);
            attempt++;
        }
    }

    private static JsonNode decode(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        byte[] body = response.body();
        if (status < 200 || status >= 300) {
            throw Errors.fromResponse(status, response.headers().map(), body);
        }
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("the API answered " + status + " with a body that is not JSON", e);
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis(), wait.toNanosPart() % 1_000_000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ApiConnectionException("interrupted while waiting to retry", interrupted);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
