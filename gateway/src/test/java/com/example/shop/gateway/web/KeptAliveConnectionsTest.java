package com.example.shop.gateway.web;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.example.shop.security.test.TestSecurity;
import com.example.shop.gateway.BackendDocuments;
import com.example.shop.testing.WireMockBackend;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.example.shop.gateway.BackendDocuments.id;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pooled HTTP/1.1 client gets every answer on the connections it keeps alive, whatever mix of answers it
 * gets: routed ones (200) and the gateway's own (401 without a token, 404 for a path nothing serves, 413 for
 * a body over the limit, 429 past the sign-in limit), each request sent as soon as the previous answer is
 * read, as pooled clients do. Reactor Netty 1.3.6 and 1.3.7 left such a request unread now and then (a request
 * that arrived before the previous one's operations had ended was queued, and the read was never resumed once
 * the queue drained: reactor-netty#4361); a connection the gateway closes (413, {@code Connection: close}) is
 * replaced, as a pool replaces it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.cloud.loadbalancer.configurations=default",
        "shop.gateway.sign-in-limit.capacity=1",
        "shop.gateway.sign-in-limit.period=1h"})
class KeptAliveConnectionsTest {

    private static final int CONNECTIONS = 4;

    private static final int REQUESTS_PER_CONNECTION = 300;

    /** Far above any answer's time here: a request without an answer by then has none coming. */
    private static final int ANSWER_TIMEOUT_MILLIS = 5000;

    @RegisterExtension
    static final WireMockBackend BACKENDS = WireMockBackend.onFreePort();

    @BeforeEach
    void backendsAnswerEverything() {
        BACKENDS.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    }

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BackendDocuments.backends(registry, BACKENDS, BACKENDS);
    }

    @LocalServerPort
    int port;

    private static final String TOKEN = TestSecurity.userToken(id('a', 1));

    /** A request as written on the wire, and the status it must get. */
    private record Kind(int status, String request) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind(200, "GET /api/products?size=1 HTTP/1.1\r\nHost: gateway\r\n\r\n"),
            new Kind(401, "GET /api/users HTTP/1.1\r\nHost: gateway\r\n\r\n"),
            new Kind(404, "GET /api/nothing-here HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + TOKEN
                    + "\r\n\r\n"),
            // the body would follow a 100 Continue, which a refusal by its length never sends
            new Kind(413, "POST /api/products HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 70000\r\nExpect: 100-continue\r\n\r\n"),
            // the first one is routed (the allowance is 1), every later one is a 429
            new Kind(429, "POST /api/auth/token HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\n\r\n{}"));

    @Test
    void aPooledClientMixingRoutedAndRefusedRequestsGetsEveryAnswer() throws Exception {
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        AtomicInteger unanswered = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int offset = c;
                done.add(clients.submit(() -> {
                    client(offset, answers, unanswered);
                    return null;
                }));
            }
            for (Future<?> client : done) {
                client.get();
            }
        }
        finally {
            clients.shutdownNow();
        }
        assertThat(unanswered).as("requests left without an answer (answers: %s)", answers).hasValue(0);
        int sent = CONNECTIONS * REQUESTS_PER_CONNECTION;
        assertThat(answers.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(sent);
        // every kind was answered as it should be, on connections that had answered others before
        for (Kind kind : KINDS) {
            assertThat(answers).containsKey(kind.status() + " after another");
        }
        assertThat(answers.keySet()).noneMatch(key -> key.startsWith("wrong"));
    }

    /** One pooled connection (replaced when the gateway closes it) sending every kind, in a random order. */
    private void client(int offset, Map<String, AtomicInteger> answers, AtomicInteger unanswered) throws IOException {
        Connection connection = null;
        Random order = new Random(offset);
        for (int i = 0; i < REQUESTS_PER_CONNECTION; i++) {
            Kind kind = KINDS.get(order.nextInt(KINDS.size()));
            boolean reused = connection != null;
            if (connection == null) {
                connection = new Connection(port);
            }
            try {
                Answer answer = connection.exchange(kind.request());
                boolean expected = answer.status() == kind.status() || kind.status() == 429 && answer.status() == 200;
                String key = !expected ? "wrong " + answer.status() + " for " + kind.status()
                        : answer.status() + (reused ? " after another" : " on a new connection");
                answers.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                if (answer.closes()) {
                    connection.close();
                    connection = null;
                }
            }
            catch (SocketTimeoutException noAnswer) {
                unanswered.incrementAndGet();
                connection.close();
                connection = null;
            }
        }
        if (connection != null) {
            connection.close();
        }
    }

    private record Answer(int status, boolean closes) {
    }

    /** One HTTP/1.1 connection read by hand: status line, headers, a body of Content-Length or chunked. */
    private static final class Connection {

        private final Socket socket;

        private final OutputStream out;

        private final InputStream in;

        Connection(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        Answer exchange(String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int status;
            Map<String, String> headers;
            do {
                String statusLine = line();
                status = Integer.parseInt(statusLine.split(" ")[1]);
                headers = headers();
            }
            while (status == 100);
            String length = headers.get("content-length");
            if (length != null) {
                in.readNBytes(Integer.parseInt(length));
            }
            else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                int size;
                do {
                    size = Integer.parseInt(line().strip(), 16);
                    in.readNBytes(size);
                    line();
                }
                while (size > 0);
            }
            return new Answer(status, "close".equalsIgnoreCase(headers.get("connection")));
        }

        private Map<String, String> headers() throws IOException {
            Map<String, String> headers = new HashMap<>();
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
            }
            return headers;
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed mid-answer");
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        void close() throws IOException {
            socket.close();
        }
    }
}
