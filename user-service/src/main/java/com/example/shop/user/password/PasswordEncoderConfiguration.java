package com.example.shop.user.password;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

import com.example.shop.user.config.AuthProperties;


/** The password encoder {@link PasswordHasher} runs: Argon2id with the cost of {@code shop.auth.password.*}. */
@Configuration(proxyBeanMethods = false)
class PasswordEncoderConfiguration {

    @Bean
    Argon2PasswordEncoder passwordEncoder(AuthProperties properties) {
        return PasswordHasher.argon2(properties.password());
    }
}
