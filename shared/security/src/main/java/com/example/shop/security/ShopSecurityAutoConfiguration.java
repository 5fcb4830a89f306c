package com.example.shop.security;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.filter.reactive.UrlHandlerFilter;

/**
 * Every process is an OAuth 2 resource server that takes bearer tokens of two kinds, told apart by
 * their issuer: a user's access token (RS256, user-service's key, role {@code USER}, subject = the
 * user's id) and the tokens of the services this process trusts ({@code shop.security.service.trusted}:
 * each service's tokens are RS256, checked with that service's own public key, issuer
 * {@code shop-service:<name>} and subject {@code <name>}; role {@code SERVICE}). A process that trusts
 * no service takes no service token; {@link ServiceAccess#only} lets one named service in. Nothing is
 * kept between requests (no session, no CSRF: the API is stateless). Health, metrics and API documents
 * are open; a process adds its own rules as an {@link AccessRules} bean; everything else needs a valid
 * token. 401 and 403 are problem+json.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableConfigurationProperties({SecurityProperties.class, VerifiedTokensProperties.class})
@EnableWebFluxSecurity
public class ShopSecurityAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ShopSecurityAutoConfiguration.class);

    /** Open on every process: API documents. */
    static final String[] OPEN_PATHS = {"/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html",
            "/swagger-ui/**", "/webjars/**"};

    /**
     * The actuator. It is served on the management port only (a context of its own, which this same filter
     * chain guards; ManagementPort), loopback by default, every endpoint read-only: probes and scrapers send
     * no token. The public port has no actuator, so any caller gets a 404 there, not a 401 that would suggest
     * a token opens it.
     */
    static final String ACTUATOR_PATHS = "/actuator/**";

    @Bean
    @ConditionalOnMissingBean
    ServiceCredentials serviceCredentials(SecurityProperties properties, Environment environment) {
        return new ServiceCredentials(environment.getProperty("spring.application.name", "unnamed-service"),
                Keys.rsaPrivateKey(properties.service().privateKey(),
                        "shop.security.service.private-key (SERVICE_PRIVATE_KEY)"),
                properties.service().tokenTtl(), Clock.systemUTC());
    }

    /**
     * A path with a trailing slash is served as the path without it ({@code /products/} as {@code /products}),
     * trimmed before the access rules and everything else see it: the rules match paths exactly, and an open
     * read spelled with a slash would otherwise be refused with a 401.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    UrlHandlerFilter trailingSlashTrimmed() {
        return UrlHandlerFilter.trailingSlashHandler("/**").mutateRequest().build();
    }

    /**
     * No observations of Spring Security's own (spans and timers around the filter chain, each authentication and
     * each authorization), which every request paid for, anonymous ones included: the request's own observation
     * (http.server.requests, with its status) covers that work.
     */
    @Bean
    @ConditionalOnMissingBean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * Spring Security's firewall with its own rules, its character checks of header names and values and parameter
     * names done without regular expressions ({@link FirewallCharacters}: the same answers, for less CPU per request).
     */
    @Bean
    @ConditionalOnMissingBean(ServerWebExchangeFirewall.class)
    StrictServerWebExchangeFirewall serverWebExchangeFirewall() {
        StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
        firewall.setAllowedHeaderNames(FirewallCharacters::assignedAndNotControl);
        firewall.setAllowedHeaderValues(FirewallCharacters::assignedAndNotControlOrTab);
        firewall.setAllowedParameterNames(FirewallCharacters::assignedAndNotControl);
        return firewall;
    }

    @Bean
    SecurityProblems securityProblems(JsonMapper jsonMapper) {
        return new SecurityProblems(jsonMapper);
    }

    @Bean
    BearerTokens bearerTokens(SecurityProperties properties, VerifiedTokensProperties verifiedTokens,
            ObjectProvider<MeterRegistry> registry) {
        BearerTokens tokens = tokens(properties, verifiedTokens);
        registry.ifAvailable(tokens::bindTo);
        if (verifiedTokens.enabled()) {
            log.info("Security: verified tokens kept until their exp but at most {}, {} tokens at most", verifiedTokens.ttl(),
                    verifiedTokens.maxSize());
        }
        else {
            log.info("Security: verified tokens not kept (shop.security.verified-tokens): each is verified on every request");
        }
        return tokens;
    }

    /** The bearer tokens this process takes ({@code properties}), those verified lately kept as {@code verifiedTokens} says. */
    static BearerTokens tokens(SecurityProperties properties, VerifiedTokensProperties verifiedTokens) {
        SecurityProperties.Jwt jwt = properties.jwt();
        Map<String, BearerTokens.Issuer> byIssuer = new HashMap<>();
        byIssuer.put(jwt.issuer(), userTokens(jwt));
        properties.service().trusted().forEach((service, publicKey) -> byIssuer.put(
                ServiceCredentials.issuerOf(service), serviceTokens(service, publicKey)));
        log.info("Security: bearer tokens of issuer(s) {}; service tokens {}", byIssuer.keySet(),
                properties.service().trusted().isEmpty() ? "refused" : "of " + properties.service().trusted().keySet());
        return new BearerTokens(byIssuer, verifiedTokens);
    }

    @Bean
    @ConditionalOnMissingBean(SecurityWebFilterChain.class)
    SecurityWebFilterChain shopSecurityFilterChain(ServerHttpSecurity http,
            BearerTokens bearerTokens, SecurityProblems problems,
            ObjectProvider<AccessRules> rules) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .exceptionHandling(handling -> handling.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .authorizeExchange(exchanges -> {
                    exchanges.pathMatchers(ACTUATOR_PATHS).permitAll();
                    exchanges.pathMatchers(HttpMethod.GET, OPEN_PATHS).permitAll();
                    rules.orderedStream().forEach(rule -> rule.configure(exchanges));
                    exchanges.anyExchange().authenticated();
                })
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.authenticationManager(bearerTokens.authenticationManager()))
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .build();
    }

    /**
     * The tokens of one trusted service: RS256 with that service's public key, its issuer, and its name as
     * subject (so a service can only ever be itself).
     */
    static BearerTokens.Issuer serviceTokens(String service, String publicKey) {
        var key = Keys.rsaPublicKey(publicKey, "shop.security.service.trusted." + service + " ("
                + SecurityProperties.Service.publicKeyVariable(service) + ")");
        return BearerTokens.Issuer.rs256(key, new DelegatingOAuth2TokenValidator<>(
                validator(ServiceCredentials.issuerOf(service), ServiceCredentials.AUDIENCE),
                new JwtClaimValidator<String>(JwtClaimNames.SUB, service::equals)), Caller.ROLE_SERVICE);
    }

    /** Users' access tokens: RS256 only, with the configured public key (or the private key's). */
    static BearerTokens.Issuer userTokens(SecurityProperties.Jwt jwt) {
        var publicKey = jwt.publicKey() != null && !jwt.publicKey().isBlank()
                ? Keys.rsaPublicKey(jwt.publicKey(), "shop.security.jwt.public-key (JWT_PUBLIC_KEY)")
                : Keys.publicKeyOf(Keys.rsaPrivateKey(jwt.privateKey(), "shop.security.jwt.public-key (JWT_PUBLIC_KEY)"),
                        "shop.security.jwt.private-key (JWT_PRIVATE_KEY)");
        return BearerTokens.Issuer.rs256(publicKey, validator(jwt.issuer(), jwt.audience()), Caller.ROLE_USER);
    }

    private static OAuth2TokenValidator<Jwt> validator(String issuer, String audience) {
        return new DelegatingOAuth2TokenValidator<>(List.of(
                JwtValidators.createDefaultWithIssuer(issuer),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience)),
                new JwtClaimValidator<String>(JwtClaimNames.SUB, sub -> sub != null && !sub.isBlank())));
    }
}
