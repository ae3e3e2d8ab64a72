package dev.slotbook.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real HTTP server in front of the live Slotbook: it answers the queued failures first, then
 * passes every request through. It records each request it receives.
 */
final class FlakyProxy implements AutoCloseable {
    /** One answer given instead of Slotbook's; {@code forwardFirst}: the request reaches Slotbook, its answer is lost. */
    record Failure(int status, String code, Map<String, String> headers, boolean forwardFirst, Duration delay) {
        static Failure of(int status, String code) {
            return new Failure(status, code, Map.of(), false, Duration.ZERO);
        }

        static Failure withHeaders(int status, String code, Map<String, String> headers) {
            return new Failure(status, code, headers, false, Duration.ZERO);
        }

        static Failure lostAnswer(int status) {
            return new Failure(status, "BAD_GATEWAY", Map.of(), true, Duration.ZERO);
        }

        /** Holds the request this long, then passes it through (a client times out first). */
        static Failure slow(Duration delay) {
            return new Failure(0, null, Map.of(), false, delay);
        }

        byte[] body() {
            return ("{\"code\": \"" + code + "\", \"message\": \"failing on purpose: " + status
                    + "\", \"timestamp\": \"x\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    record Seen(String method, String path, String idempotencyKey, String apiKey, String userAgent) {}

    private static final Set<String> HOP_BY_HOP =
            Set.of("connection", "content-length", "host", "transfer-encoding", "upgrade", "expect");

    private final HttpServer server;
    private final HttpClient upstream =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;
    private final Deque<Failure> failures = new ArrayDeque<>();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

    FlakyProxy(String target) throws IOException {
        this.target = URI.create(target.endsWith("/") ? target.substring(0, target.length() - 1) : target);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized void failNext(Failure... next) {
        failures.addAll(List.of(next));
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    private synchronized Failure nextFailure() {
        return failures.pollFirst();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var headers = exchange.getRequestHeaders();
            seen.add(new Seen(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    headers.getFirst("Idempotency-Key"),
                    headers.getFirst("X-API-Key"),
                    headers.getFirst("User-Agent")));
            byte[] body = exchange.getRequestBody().readAllBytes();
            Failure failure = nextFailure();
            if (failure != null && !failure.delay().isZero()) {
                Thread.sleep(failure.delay().toMillis());
                failure = null;
            }
            if (failure != null && !failure.forwardFirst()) {
                answer(exchange, failure);
                return;
            }
            HttpResponse<byte[]> response = forward(exchange, body);
            if (failure != null) {
                answer(exchange, failure);
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void answer(HttpExchange exchange, Failure failure) throws IOException {
        byte[] body = failure.body();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        failure.headers().forEach(exchange.getResponseHeaders()::add);
        exchange.sendResponseHeaders(failure.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
