package com.example.shop.security;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import com.example.shop.security.test.TestSecurity;

import static org.assertj.core.api.Assertions.assertThat;

class BearerTokensTest {

    /** As user-service takes them: users' access tokens, and the tokens of product-service and the gateway. */
    private final ReactiveAuthenticationManager tokens = ShopSecurityAutoConfiguration.tokens(
            new SecurityProperties(
                    new SecurityProperties.Jwt(TestSecurity.publicKey(), null, TestSecurity.ISSUER, TestSecurity.AUDIENCE,
                            null),
                    new SecurityProperties.Service(null, Map.of(
                            "product-service", TestSecurity.servicePublicKey("product-service"),
                            "gateway", TestSecurity.servicePublicKey("gateway")), null)),
            new VerifiedTokensProperties(Duration.ofSeconds(60), 100))
            .authenticationManager();

    @Test
    void eachIssuersTokensGiveItsRoleAndSubject() {
        authenticate(TestSecurity.userToken("6b0a00000000000000000001"))
                .assertNext(user -> {
                    assertThat(user.getName()).isEqualTo("6b0a00000000000000000001");
                    assertThat(user.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly(Caller.ROLE_USER);
                })
                .verifyComplete();
        authenticate(TestSecurity.serviceToken("gateway"))
                .assertNext(service -> {
                    assertThat(service.getName()).isEqualTo("gateway");
                    assertThat(service.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                            .containsExactly(Caller.ROLE_SERVICE);
                })
                .verifyComplete();
    }

    @Test
    void aTokenIsCheckedWithTheKeyAndRulesOfTheIssuerItNames() {
        // the gateway's key, but product-service's issuer: the key of product-service must have signed it
        authenticate(TestSecurity.serviceTokenClaiming("gateway", ServiceCredentials.issuerOf("product-service"),
                "product-service")).verifyError(InvalidBearerTokenException.class);
        // product-service's own key and issuer, naming another service
        authenticate(TestSecurity.serviceTokenClaiming("product-service", ServiceCredentials.issuerOf("product-service"),
                "gateway")).verifyError(InvalidBearerTokenException.class);
        // a service nobody here trusts, and a forged access token
        authenticate(TestSecurity.serviceToken("user-service")).verifyError(InvalidBearerTokenException.class);
        authenticate(TestSecurity.forgedUserToken("6b0a00000000000000000001")).verifyError(InvalidBearerTokenException.class);
        authenticate(TestSecurity.expiredUserToken("6b0a00000000000000000001")).verifyError(InvalidBearerTokenException.class);
        authenticate("not.a-token").verifyError(InvalidBearerTokenException.class);
    }

    private StepVerifier.FirstStep<Authentication> authenticate(String token) {
        return StepVerifier.create(tokens.authenticate(new BearerTokenAuthenticationToken(token)));
    }
}
