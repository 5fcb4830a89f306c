package com.example.shop.product;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import com.example.shop.security.test.TestSecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that hangs up halfway through its request body is not a fault of ours: it is logged once, at
 * INFO, in one line with no stack trace, and never at ERROR. (No user-service is needed: the body never
 * arrives whole, so nothing is asked of it.) The line carries the request's trace id.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class ClientAbortLoggingTest {

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @LocalServerPort
    int port;

    @Test
    void aClientThatHangsUpMidBodyIsOneInfoLine(CapturedOutput output) throws Exception {
        String token = TestSecurity.userToken(new ObjectId().toHexString());
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /products HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                    + "\r\ntraceparent: 00-" + TRACE_ID + "-00f067aa0ba902b7-01"
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the server asks for the body once the controller reads it
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            out.write("{\"name\":\"half".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> output.getOut().lines().anyMatch(line -> line.contains("client closed the connection")));
        // whatever else the abort makes the server log comes with it or not at all
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(output.getAll().lines()).noneMatch(line -> line.contains(" ERROR ")));
        String log = output.getAll();
        assertThat(log.lines().filter(line -> line.contains("client closed the connection")))
                .singleElement().asString().contains(" INFO ").contains("POST /products").contains(TRACE_ID);
        assertThat(log.lines()).noneMatch(line -> line.contains(" ERROR "))
                .noneMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by:"));
    }
}
