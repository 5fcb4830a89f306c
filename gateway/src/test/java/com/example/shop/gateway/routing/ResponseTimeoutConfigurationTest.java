package com.example.shop.gateway.routing;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.util.unit.DataSize;

import com.example.shop.gateway.remote.BackendsProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** Spring Cloud Gateway's own response timeout would be a second owner of a route's time: it is refused. */
class ResponseTimeoutConfigurationTest {

    final BackendsProperties backends = new BackendsProperties(DataSize.ofMegabytes(4), 2, Duration.ofSeconds(10));

    @Test
    void theRoutesTimeIsTheReadTimeout() {
        HttpClient client = new ResponseTimeoutConfiguration().responseReadTimeout(backends, new HttpClientProperties())
                .customize(HttpClient.create());

        assertThat(client.configuration().responseTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theGatewaysResponseTimeoutIsRefused() {
        HttpClientProperties gateway = new HttpClientProperties();
        gateway.setResponseTimeout(Duration.ofSeconds(5));

        assertThatIllegalStateException()
                .isThrownBy(() -> new ResponseTimeoutConfiguration().responseReadTimeout(backends, gateway))
                .withMessageContaining("shop.backends.route-timeout");
    }
}
