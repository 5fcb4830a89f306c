package com.example.shop.product;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jwt.Jwt;

import com.example.shop.security.ServiceCredentials;
import com.example.shop.security.test.TestSecurity;
import com.example.shop.testing.WireMockBackend;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WireMock standing in for user-service. Unstubbed users answer 404 (missing); the cart cleanup
 * endpoint answers as {@link #cartCleanupWorks()} or {@link #cartCleanupDown()} say. It records what
 * product-service sent, so that a test can check that every call carried product-service's own service
 * token ({@link #serviceTokenOf}, {@link #assertEveryCallCarriedAServiceToken()}).
 */
public final class UserServiceStub {

    static final String CART_CLEANUP = "/internal/carts/items/";

    private final WireMockServer server = WireMockBackend.onFreePort();

    public String url() {
        return server.baseUrl();
    }

    public void reset() {
        server.resetAll();
    }

    public void stop() {
        server.stop();
    }

    public void userExists(String id) {
        server.stubFor(get(urlPathEqualTo("/users/" + id))
                .willReturn(okJson("{\"id\":\"" + id + "\",\"name\":\"Ada\",\"email\":\"ada@example.com\"}")));
    }

    /** user-service no longer knows the user (deleted), though its access token is still valid. */
    public void userDeleted(String id) {
        server.stubFor(get(urlPathEqualTo("/users/" + id)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"status\":404,\"detail\":\"user " + id + " not found\"}")));
    }

    /** Every call to user-service has its connection reset, as when it is down. */
    public void down() {
        server.stubFor(get(urlPathMatching("/users/.*"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        cartCleanupDown();
    }

    /** user-service answers, but too late. */
    public void slow(int millis) {
        server.stubFor(get(urlPathMatching("/users/.*"))
                .willReturn(okJson("{}").withFixedDelay(millis)));
    }

    /** user-service answers with a server error. */
    public void failing() {
        server.stubFor(get(urlPathMatching("/users/.*")).willReturn(aResponse().withStatus(500)));
    }

    public void cartCleanupWorks() {
        server.stubFor(delete(urlPathMatching(CART_CLEANUP + ".*"))
                .willReturn(okJson("{\"productId\":\"x\",\"cartsChanged\":2}")));
    }

    public void cartCleanupDown() {
        server.stubFor(delete(urlPathMatching(CART_CLEANUP + ".*"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    }

    /** The owner checks made for one user: what product-service sent to {@code GET /users/{id}}. */
    public List<LoggedRequest> ownerChecks(String userId) {
        return server.findAll(getRequestedFor(urlPathEqualTo("/users/" + userId)));
    }

    /** The cart cleanup calls made for one product. */
    public List<LoggedRequest> cartCleanups(String productId) {
        return server.findAll(deleteRequestedFor(urlPathEqualTo(CART_CLEANUP + productId)));
    }

    /**
     * Checks that every request user-service has received since the last {@link #reset()} carried a
     * valid service token of product-service.
     */
    public void assertEveryCallCarriedAServiceToken() {
        server.getAllServeEvents().forEach(event -> serviceTokenOf(event.getRequest()));
    }

    /**
     * The token a request carried in {@code Authorization: Bearer}, verified as user-service verifies
     * product-service's tokens: RS256 with product-service's own public key (so never a user's access
     * token, nor another service's), not expired, issuer {@code shop-service:product-service}, audience
     * {@value ServiceCredentials#AUDIENCE}, subject product-service. Fails the test otherwise.
     */
    public static Jwt serviceTokenOf(LoggedRequest request) {
        String what = request.getMethod() + " " + request.getUrl();
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        assertThat(authorization).as("Authorization header of " + what).isNotNull().startsWith("Bearer ");
        Jwt token = TestSecurity.verifyServiceToken("product-service", authorization.substring("Bearer ".length()));
        assertThat(token.getClaimAsString("iss")).as("issuer of the token of " + what)
                .isEqualTo(ServiceCredentials.issuerOf("product-service"));
        assertThat(token.getAudience()).as("audience of the token of " + what).contains(ServiceCredentials.AUDIENCE);
        assertThat(token.getSubject()).as("subject of the token of " + what).isEqualTo("product-service");
        return token;
    }

    /** How many times a user was looked up. */
    public int userLookups() {
        return server.findAll(getRequestedFor(urlPathMatching("/users/.*"))).size();
    }
}
